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

// `import Rupt from '@ruptjs/core'` becomes `import Rupt from '@vigil/api'`: the same default export.
export { VigilAPI as default } from './client.js';
