export { decide, type DecisionRequest, defaultDecideOptions } from './decide.js';
export * from './closed-sets.js';
export { type CheckDefinition, checkRegistry, lookupCheck } from './checks/registry.js';
export { deviceConflictsFor } from './checks/concurrent_sessions.js';
export { minimumPeople } from './checks/device_counts.js';
export { greatCircleKm } from './checks/geography.js';
export { listValueOf, listValuesOf, normalizeListValue } from './list_values.js';
export {
  builtInRisks,
  type CheckLookup,
  evaluateCondition,
  eventCountKey,
  type FieldType,
  operatorsFor,
  eventCountParamsOf,
  type FieldSource,
  parseWindow,
  type PolicyDraft,
  type PolicyProblem,
  selectPolicy,
  validatePolicy,
} from './policies/index.js';
export {
  challengeKindFor,
  type RiskOverrides,
  type RiskRule,
  type RiskTable,
  riskTables,
  riskTablesFor,
  scoreRisk,
  scoreRisks,
  validateRiskOverrides,
} from './risks/index.js';
export { checkFamilies, computeChecks } from './checks/index.js';
export * from './familiarity/index.js';
export type { CheckFamily } from './checks/index.js';
export type { CheckContext } from './checks/context.js';
export { emptyHistory, noFacts } from './types.js';
export { CHALLENGE_STATUSES, type ChallengeStatus, canMoveChallenge, challengeSourcesOf, challengeTransitions, isChallengeClosed, isChallengeStatus } from './challenges/status.js';
export { DEFAULT_SUPPRESSION_DAYS, MAX_SUPPRESSION_DAYS, suppressingChallenge } from './challenges/suppression.js';
export type {
  ChallengeConfig,
  CheckValue,
  Checks,
  Condition,
  ConditionLeaf,
  DecideOptions,
  Decision,
  DeviceActivity,
  DeviceClass,
  Effect,
  EvaluationInput,
  EventCountParams,
  Explanation,
  Facts,
  GeoLocation,
  HistorySnapshot,
  IpType,
  ListMembership,
  LocatedEvaluation,
  NonceStatus,
  PassedChallenge,
  Policy,
  PolicyAction,
  PolicyExplanation,
  RiskContribution,
  RiskExplanation,
  TraceNode,
  TraceStatus,
  UserState,
} from './types.js';
