import { type RiskTable, standardThresholds } from './types.js';

export const fakeAccount: RiskTable = {
  category: 'fake_account',
  observedOnly: false,
  description: 'An account made to abuse the product: throwaway identity, or one of many from one machine.',
  rules: [
    { check: 'email_is_disposable', weight: 50 },
    { check: 'email_is_invalid', weight: 40 },
    { check: 'phone_is_invalid', weight: 20 },
    // Webmail and unverified addresses are most honest users' too: a nudge, never a verdict.
    { check: 'email_is_webmail', weight: 5 },
    { check: 'is_email_verified', weight: 5, when: { operator: 'eq', value: false } },
    { check: 'fingerprint_user_count', weight: 25, when: { operator: 'gte', value: 3 } },
    { check: 'ip_user_count', weight: 15, when: { operator: 'gte', value: 10 } },
  ],
  combinations: [{ rules: [{ check: 'email_is_disposable' }, { check: 'fingerprint_user_count', when: { operator: 'gte', value: 3 } }], weight: 15 }],
  thresholds: standardThresholds,
};
