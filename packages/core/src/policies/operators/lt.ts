import { type OperatorDefinition, ordered } from './operator.js';

export const lt: OperatorDefinition = {
  name: 'lt',
  accepts: ordered,
  value: 'one',
  test: (a, e) => typeof a === 'number' && typeof e === 'number' && a < e,
};
