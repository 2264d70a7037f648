import type { Decision } from '../types.js';

/**
 * Whether a login may teach the user's familiar set what the user looks like:
 * - `trusted`: allowed with a low `ato` risk; it is learned at once;
 * - `pending`: anything else that was not refused (medium risk, a challenge): held apart, and learned
 *   when the backend consumes it or the user passes its verification;
 * - `suspect`: `ato` scored high or maximum: held apart, and learned only when its user passes a
 *   verification (a backend that consumes it anyway does not make it the user's);
 * - `untrusted`: denied or suspended; never learned.
 * A pending or suspect login whose verification fails is dropped.
 */
export type LoginTrust = 'trusted' | 'pending' | 'suspect' | 'untrusted';

/** What settled a login held apart: the backend consumed it, its user passed or failed its verification. */
export type LoginSettlement = 'consumed' | 'verified' | 'failed';

export function loginTrust(decision: Pick<Decision, 'verdict' | 'explanation'>): LoginTrust {
  if (decision.verdict === 'deny' || decision.verdict === 'suspend') return 'untrusted';
  const severity = decision.explanation.risks.find((r) => r.category === 'ato')?.severity ?? 'low';
  if (severity === 'high' || severity === 'maximum') return 'suspect';
  return decision.verdict === 'allow' && severity === 'low' ? 'trusted' : 'pending';
}
