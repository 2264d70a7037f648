import type { Checks } from './types.js';

/** Short, stable reason codes for the checks that raise an eyebrow, in the order shown to operators. */
const reasonByCheck: ReadonlyArray<readonly [check: string, reason: string]> = [
  ['is_new_user', 'new_user'],
  ['is_new_device', 'new_device'],
  ['is_new_fingerprint', 'new_fingerprint'],
  ['is_new_ip', 'new_ip'],
  ['missing_nonce', 'missing_nonce'],
  ['unknown_nonce', 'unknown_nonce'],
  ['consumed_nonce', 'consumed_nonce'],
  ['session_expired', 'session_expired'],
  ['nonce_session_mismatch', 'nonce_session_mismatch'],
  ['missing_cookie', 'missing_cookie'],
];

export function reasonsFor(checks: Checks): string[] {
  return reasonByCheck.filter(([check]) => checks[check] === true).map(([, reason]) => reason);
}
