import type { Checks, EvaluationInput } from '../types.js';

/**
 * What the browser's nonce says about replay. Only client evaluations carry a nonce; a backend-created
 * evaluation has none to check, so these checks are absent there.
 */
export function replayObservations(input: EvaluationInput): Checks {
  if (input.channel !== 'client' || input.nonce === undefined) return {};
  const status = input.nonce;
  return {
    missing_nonce: status === 'missing',
    unknown_nonce: status === 'unknown',
    consumed_nonce: status === 'consumed',
    session_expired: status === 'expired',
    nonce_session_mismatch: status === 'mismatch',
    missing_cookie: input.hasDeviceCookie !== true,
  };
}
