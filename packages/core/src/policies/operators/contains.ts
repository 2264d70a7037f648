import type { OperatorDefinition } from './operator.js';

// Substring, case-sensitive as stored (email domains and ids are already lower case).
export const contains: OperatorDefinition = {
  name: 'contains',
  accepts: ['string'],
  value: 'one',
  test: (a, e) => typeof a === 'string' && typeof e === 'string' && a.includes(e),
};
