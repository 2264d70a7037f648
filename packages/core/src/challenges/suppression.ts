import type { ChallengeConfig, HistorySnapshot, PassedChallenge } from '../types.js';

const DAY_MS = 86_400_000;

/** How long a passed verification spares the same challenge unless the policy says otherwise. */
export const DEFAULT_SUPPRESSION_DAYS = 30;
/** The longest a policy may ask for (and how far back the store looks). */
export const MAX_SUPPRESSION_DAYS = 365;

/**
 * The passed challenge that spares this one, if any: a verification by the same policy, opened for at
 * least these reasons, that this user passed on this device within the policy's `suppress_days`.
 * Someone who just proved they own the account is not asked again at every login for what they already
 * answered (a new device, a new IP); a reason they did not answer (another country, a VPN) asks again.
 * Device limits are never suppressed: they are about the account's devices now, not about who asks.
 */
export function suppressingChallenge(policyId: string, config: ChallengeConfig, reasons: readonly string[], history: HistorySnapshot, now: number): PassedChallenge | null {
  if (config.type !== 'verification') return null;
  const days = config.suppress_days ?? DEFAULT_SUPPRESSION_DAYS;
  if (days <= 0) return null;
  const since = now - days * DAY_MS;
  return (
    history.passedChallenges.find(
      (c) => c.method === 'verification' && c.policyId === policyId && c.passedAt > since && c.passedAt <= now && reasons.every((r) => c.reasons.includes(r)),
    ) ?? null
  );
}
