import type { Checks, EvaluationInput } from '../types.js';

/**
 * What the browser's nonce says about replay. Only client evaluations carry a nonce; a backend-created
 * evaluation has none to check, so these checks are absent there. (Needs only the evaluation: the
 * family's other arguments are left off.)
 */
export function replayObservations(input: EvaluationInput): Checks {
  if (input.channel !== 'client' || input.nonce === undefined) return {};
  const status = input.nonce;
  return {
    consumed_nonce: status === 'consumed',
    nonce_session_mismatch: status === 'mismatch',
    unknown_nonce: status === 'unknown',
    missing_nonce: status === 'missing',
    missing_cookie: input.hasDeviceCookie !== true,
    session_expired: status === 'expired',
  };
}
