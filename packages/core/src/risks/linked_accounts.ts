import { type RiskTable, standardThresholds } from './types.js';

export const linkedAccounts: RiskTable = {
  category: 'linked_accounts',
  observedOnly: false,
  description: 'Accounts tied to others by a shared device or fingerprint (multi-accounting, ban evasion).',
  // Never ip_user_count: a shared public IP (an office, a carrier NAT) links nobody.
  rules: [
    { check: 'device_user_count', weight: 40, when: { operator: 'gte', value: 2 } },
    { check: 'device_user_count', weight: 20, when: { operator: 'gte', value: 4 } },
    // Identical machines can share a fingerprint: it weighs less than a shared device cookie.
    { check: 'fingerprint_user_count', weight: 30, when: { operator: 'gte', value: 2 } },
    { check: 'fingerprint_user_count', weight: 20, when: { operator: 'gte', value: 4 } },
  ],
  combinations: [],
  thresholds: standardThresholds,
};
