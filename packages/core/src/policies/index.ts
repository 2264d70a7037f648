export { evaluateCondition } from './evaluate.js';
export { eventCountKey, eventCountParamsOf, type FieldSource, parseWindow, resolveField, severities, severityRank } from './fields.js';
export { type FieldType, isOperator, type OperatorDefinition, operators, operatorsFor } from './operators/index.js';
export { selectPolicy } from './select.js';
export { builtInRisks, type CheckLookup, type PolicyDraft, type PolicyProblem, validatePolicy } from './validate.js';
