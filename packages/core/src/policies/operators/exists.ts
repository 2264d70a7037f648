import { everyType, type OperatorDefinition } from './operator.js';

export const exists: OperatorDefinition = { name: 'exists', accepts: everyType, value: 'none', test: (a) => a !== undefined };
