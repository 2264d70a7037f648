import { everyType, type OperatorDefinition } from './operator.js';

// An absent field is not "different from" anything: a condition on an absent check is false (SPEC §6).
export const neq: OperatorDefinition = { name: 'neq', accepts: everyType, value: 'one', test: (a, e) => a !== undefined && a !== e };
