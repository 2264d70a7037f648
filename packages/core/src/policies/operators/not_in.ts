import { everyType, type OperatorDefinition } from './operator.js';

export const notIn: OperatorDefinition = {
  name: 'not_in',
  accepts: everyType,
  value: 'array',
  test: (a, e) => a !== undefined && Array.isArray(e) && !e.includes(a),
};
