import { everyType, type OperatorDefinition } from './operator.js';

// Strict: "5" is not 5 and "true" is not true (a policy says what it means).
export const eq: OperatorDefinition = { name: 'eq', accepts: everyType, value: 'one', test: (a, e) => a !== undefined && a === e };
