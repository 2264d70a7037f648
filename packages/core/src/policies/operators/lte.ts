import { type OperatorDefinition, ordered } from './operator.js';

export const lte: OperatorDefinition = {
  name: 'lte',
  accepts: ordered,
  value: 'one',
  test: (a, e) => typeof a === 'number' && typeof e === 'number' && a <= e,
};
