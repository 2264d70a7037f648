import type { Checks, EvaluationInput, HistorySnapshot } from '../types.js';
import type { CheckContext } from './context.js';
import { identityNewness } from './identity_newness.js';
import { replayObservations } from './replay_observations.js';

export type CheckFamily = (input: EvaluationInput, history: HistorySnapshot, ctx: CheckContext) => Checks;

/** Every check family, in the order their checks appear in an evaluation. A new family is one line here. */
export const checkFamilies: readonly CheckFamily[] = [identityNewness, replayObservations];

export function computeChecks(input: EvaluationInput, history: HistorySnapshot, ctx: CheckContext): Checks {
  const checks: Checks = {};
  for (const family of checkFamilies) Object.assign(checks, family(input, history, ctx));
  return checks;
}
