// The `ato` table of main before familiarity (commit 162551e), for `npm run bench -- ato`'s "before" row.
import type { RiskTable } from '@vigil/core';

const standardThresholds = { medium: 25, high: 50, maximum: 80 };

export const mainAto: RiskTable = {
  category: 'ato',
  observedOnly: false,
  description: 'Account takeover: someone other than the owner using the account.',
  rules: [
    { check: 'is_new_fingerprint', weight: 15 },
    { check: 'is_new_device', weight: 15 },
    { check: 'is_new_ip', weight: 10 },
    // A user's first evaluation has no history to differ from: everything is new, nothing is taken over.
    { check: 'is_new_user', weight: -40 },
    { check: 'impossible_travel', weight: 45 },
    { check: 'country_change', weight: 15 },
    { check: 'ip_is_tor', weight: 30 },
    { check: 'ip_is_vpn', weight: 20 },
    { check: 'ip_is_proxy', weight: 20 },
    // ip_is_relay weighs nothing: iCloud Private Relay is a privacy feature millions use, not an attack.
    { check: 'failed_challenges_last_day', weight: 15, when: { operator: 'gte', value: 1 } },
    { check: 'failed_challenges_last_day', weight: 25, when: { operator: 'gte', value: 3 } },
  ],
  combinations: [
    // A new machine in a new place in another country is the classic takeover, more than its parts.
    { rules: [{ check: 'is_new_device' }, { check: 'is_new_ip' }, { check: 'country_change' }], weight: 20 },
  ],
  thresholds: standardThresholds,
};
