import { type RiskTable, standardThresholds } from './types.js';

export const replayAttack: RiskTable = {
  category: 'replay_attack',
  observedOnly: true,
  description: 'An evaluation request sent again, forged or moved to another device.',
  rules: [
    // A spent nonce presented again is a replay by definition: high on its own.
    { check: 'consumed_nonce', weight: 70 },
    { check: 'nonce_session_mismatch', weight: 60 },
    { check: 'unknown_nonce', weight: 55 },
    // The SDK always gets a nonce first (and fails rather than send none): a client evaluation without
    // one was written by hand.
    { check: 'missing_nonce', weight: 55 },
    { check: 'session_expired', weight: 30 },
    // Cookies blocked or cleared happen to honest users; low alone.
    { check: 'missing_cookie', weight: 20 },
  ],
  combinations: [],
  thresholds: standardThresholds,
};
