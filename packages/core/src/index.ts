export { decide, defaultDecideOptions } from './decide.js';
export { checkFamilies, computeChecks } from './checks/index.js';
export type { CheckFamily } from './checks/index.js';
export type { CheckContext } from './checks/context.js';
export type {
  CheckValue,
  Checks,
  DecideOptions,
  Decision,
  Effect,
  EvaluationInput,
  Explanation,
  HistorySnapshot,
  NonceStatus,
  RiskExplanation,
  Verdict,
} from './types.js';
