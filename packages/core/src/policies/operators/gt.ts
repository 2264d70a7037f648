import { type OperatorDefinition, ordered } from './operator.js';

export const gt: OperatorDefinition = {
  name: 'gt',
  accepts: ordered,
  value: 'one',
  test: (a, e) => typeof a === 'number' && typeof e === 'number' && a > e,
};
