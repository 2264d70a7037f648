import type { Evaluation, MetadataValue } from './types.js';

export interface Expected {
  /** The action your backend is about to perform. */
  action: string;
  /** Your id of the user it is for. */
  user: string;
  /** Metadata the evaluation must carry with these exact values (an order id, an amount). */
  metadata?: Record<string, MetadataValue>;
  /** Let a challenge the user skipped through (only policies with `allow_skip` offer it). Default false. */
  acceptSkipped?: boolean;
}

/** `restricted`: honour the action, but in the limited session your app defines (verdict `restrict`). */
export type Confirmation = { ok: true; restricted?: true } | { ok: false; reason: string };

/**
 * Whether an evaluation lets this action through: it must be about this action, this user and this
 * metadata (an evaluation made for one thing cannot be spent on another), and its verdict must be
 * `allow` or `restrict`, or `challenge` / `challenge_and_restrict` with the challenge completed; the
 * restricting ones answer `restricted: true`. Consume the evaluation first, so that it can confirm only
 * one action.
 */
export function confirmEvaluation(evaluation: Evaluation, expected: Expected): Confirmation {
  if (evaluation.action !== expected.action) return { ok: false, reason: `evaluation is for action "${evaluation.action}", not "${expected.action}"` };
  if (evaluation.user?.id !== expected.user) return { ok: false, reason: 'evaluation is for another user' };
  for (const [key, value] of Object.entries(expected.metadata ?? {})) {
    if (evaluation.metadata?.[key] !== value) return { ok: false, reason: `metadata.${key} differs` };
  }
  if (evaluation.verdict === 'allow') return { ok: true };
  if (evaluation.verdict === 'restrict') return { ok: true, restricted: true };
  if (evaluation.verdict === 'challenge' || evaluation.verdict === 'challenge_and_restrict') {
    const status = evaluation.challenge?.status;
    const passed = { ok: true as const, ...(evaluation.verdict === 'challenge_and_restrict' ? { restricted: true as const } : {}) };
    if (status === 'completed' || (status === 'skipped' && expected.acceptSkipped === true)) return passed;
    return { ok: false, reason: status === 'skipped' ? 'challenge skipped' : 'challenge not completed' };
  }
  return { ok: false, reason: `verdict is ${evaluation.verdict}` };
}
