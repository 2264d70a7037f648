import { type RiskTable, standardThresholds } from './types.js';

export const accountSharing: RiskTable = {
  category: 'account_sharing',
  observedOnly: false,
  description: 'Several people using one account (credential sharing beyond the plan).',
  rules: [
    { check: 'concurrent_sessions', weight: 25 },
    { check: 'concurrent_session_count', weight: 15, when: { operator: 'gte', value: 2 } },
    { check: 'impossible_travel', weight: 25 },
    { check: 'device_count', weight: 15, when: { operator: 'gte', value: 5 } },
    { check: 'active_people_count', weight: 35, when: { operator: 'gte', value: 2 } },
    { check: 'people_count', weight: 15, when: { operator: 'gte', value: 3 } },
  ],
  combinations: [
    // Two sessions at once from places no one could travel between: two people, near certainly.
    { rules: [{ check: 'concurrent_sessions' }, { check: 'impossible_travel' }], weight: 40 },
  ],
  thresholds: standardThresholds,
};
