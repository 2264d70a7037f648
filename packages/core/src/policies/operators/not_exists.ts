import { everyType, type OperatorDefinition } from './operator.js';

// The one operator that holds on an absent field.
export const notExists: OperatorDefinition = { name: 'not_exists', accepts: everyType, value: 'none', test: (a) => a === undefined };
