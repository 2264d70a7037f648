export { type VigilAPIOptions, VigilAPI } from './client.js';
export { type Confirmation, confirmEvaluation, type Expected } from './confirm.js';
export { VigilError } from './errors.js';
export type {
  Challenge,
  ChallengeRecord,
  CheckDefinition,
  Condition,
  ConditionLeaf,
  CreateEvaluation,
  Device,
  Evaluation,
  List,
  ListEntry,
  ListType,
  ListValueKind,
  MetadataValue,
  Operator,
  Policy,
  PolicyAction,
  PolicyInput,
  PolicyTestResult,
  PolicyVersion,
  Risk,
  Severity,
  User,
  Verdict,
} from './types.js';
