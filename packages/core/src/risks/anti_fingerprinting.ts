import { type RiskTable, standardThresholds } from './types.js';

export const antiFingerprinting: RiskTable = {
  category: 'anti_fingerprinting',
  observedOnly: true,
  description: 'A browser that resists fingerprinting (Tor Browser, Brave, Firefox RFP, Safari lockdown): privacy, not proof of fraud.',
  rules: [
    { check: 'tor_browser_signature', weight: 60 },
    { check: 'firefox_rfp_detected', weight: 50 },
    { check: 'brave_farbling_detected', weight: 40 },
    { check: 'safari_itp_lockdown', weight: 40 },
    { check: 'firefox_etp_timer', weight: 20 },
  ],
  combinations: [],
  thresholds: standardThresholds,
};
