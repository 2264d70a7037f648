import type { CheckValue, Checks } from './types.js';

const isTrue = (v: CheckValue | undefined) => v === true;
const positive = (v: CheckValue | undefined) => typeof v === 'number' && v > 0;

/**
 * Short, stable reason codes for the checks that raise an eyebrow, in the order shown to operators.
 * Reasons are what a challenge and the dashboard list; the full explanation is in checks and risks.
 */
const reasonByCheck: ReadonlyArray<readonly [check: string, reason: string, holds: (v: CheckValue | undefined) => boolean]> = [
  ['is_suspended', 'suspended_user', isTrue],
  ['is_new_user', 'new_user', isTrue],
  ['is_new_device', 'new_device', isTrue],
  ['is_new_fingerprint', 'new_fingerprint', isTrue],
  ['is_new_ip', 'new_ip', isTrue],
  ['impossible_travel', 'impossible_travel', isTrue],
  ['country_change', 'country_change', isTrue],
  ['concurrent_sessions', 'concurrent_sessions', isTrue],
  ['ip_is_tor', 'tor', isTrue],
  ['ip_is_vpn', 'vpn', isTrue],
  ['ip_is_proxy', 'proxy', isTrue],
  ['ip_is_hosting', 'hosting_ip', isTrue],
  ['ip_is_crawler', 'crawler_ip', isTrue],
  ['ua_is_bot', 'bot_user_agent', isTrue],
  ['email_is_disposable', 'disposable_email', isTrue],
  ['email_is_invalid', 'invalid_email', isTrue],
  ['phone_is_invalid', 'invalid_phone', isTrue],
  ['failed_challenges_last_day', 'failed_challenges', positive],
  ['missing_nonce', 'missing_nonce', isTrue],
  ['unknown_nonce', 'unknown_nonce', isTrue],
  ['consumed_nonce', 'consumed_nonce', isTrue],
  ['session_expired', 'session_expired', isTrue],
  ['nonce_session_mismatch', 'nonce_session_mismatch', isTrue],
  ['missing_cookie', 'missing_cookie', isTrue],
];

export function reasonsFor(checks: Checks): string[] {
  return reasonByCheck.filter(([check, , holds]) => holds(checks[check])).map(([, reason]) => reason);
}
