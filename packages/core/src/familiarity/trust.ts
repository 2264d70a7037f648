import type { Decision } from '../types.js';

/**
 * Whether a login may teach the user's familiar set what the user looks like:
 * - `trusted`: allowed with a low `ato` risk; it is learned at once;
 * - `untrusted`: `ato` scored high or maximum, or the verdict was deny or suspend; it is never learned,
 *   whatever happens next (a backend that consumes it anyway does not make it the user's);
 * - `pending`: anything else (medium risk, a challenge): held apart, and learned only when the backend
 *   consumes it or the user passes its challenge, dropped when the challenge fails.
 */
export type LoginTrust = 'trusted' | 'pending' | 'untrusted';

export function loginTrust(decision: Pick<Decision, 'verdict' | 'explanation'>): LoginTrust {
  const ato = decision.explanation.risks.find((r) => r.category === 'ato');
  const severity = ato?.severity ?? 'low';
  if (severity === 'high' || severity === 'maximum' || decision.verdict === 'deny' || decision.verdict === 'suspend') return 'untrusted';
  return decision.verdict === 'allow' && severity === 'low' ? 'trusted' : 'pending';
}
