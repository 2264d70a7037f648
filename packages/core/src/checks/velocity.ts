import type { Checks, EvaluationInput, Facts, HistorySnapshot } from '../types.js';

/**
 * Velocity. `event_count` is parameterised: its values are counted by the store for the parameters the
 * policies use (`history.eventCounts`, keyed by `eventCountKey`) and read by the policy evaluator
 * directly, so it is not a check of every evaluation and is not computed here.
 */
export function velocity(_input: EvaluationInput, _facts: Facts, history: HistorySnapshot): Checks {
  if (history.failedChallengesLastDay === null) return {};
  return { failed_challenges_last_day: history.failedChallengesLastDay };
}
