import { everyType, type OperatorDefinition } from './operator.js';

export const inList: OperatorDefinition = {
  name: 'in',
  accepts: everyType,
  value: 'array',
  test: (a, e) => a !== undefined && Array.isArray(e) && e.includes(a),
};
