import { type OperatorDefinition, ordered } from './operator.js';

export const gte: OperatorDefinition = {
  name: 'gte',
  accepts: ordered,
  value: 'one',
  test: (a, e) => typeof a === 'number' && typeof e === 'number' && a >= e,
};
