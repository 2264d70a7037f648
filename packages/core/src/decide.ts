import { computeChecks } from './checks/index.js';
import { reasonsFor } from './reasons.js';
import type { DecideOptions, Decision, EvaluationInput, HistorySnapshot } from './types.js';

export const defaultDecideOptions: DecideOptions = { retentionMs: 180 * 86_400_000 };

/**
 * The decision: checks from the input and the user's history at `now`, then the verdict. Pure: the same
 * arguments always give the same decision. With no policy (SPEC §1.5) every verdict is `allow`; the
 * checks are still computed and recorded so that operators can write policies from real data.
 */
export function decide(
  input: EvaluationInput,
  history: HistorySnapshot,
  now: number,
  options: DecideOptions = defaultDecideOptions,
): Decision {
  const checks = computeChecks(input, history, { now, options });
  return {
    verdict: 'allow',
    effects: [],
    explanation: { checks, reasons: reasonsFor(checks), risks: [], policy: null },
  };
}
