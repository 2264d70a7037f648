import { type RiskTable, standardThresholds } from './types.js';

/**
 * Account takeover. The weights were set on a synthetic, labelled login stream (`npm run bench -- ato`,
 * method and ablations in docs/ato.md): familiarity with the user's trusted logins carries most of the
 * signal, newness of a single IP very little (ISPs change addresses; attackers change networks).
 */
export const ato: RiskTable = {
  category: 'ato',
  observedOnly: false,
  description: 'Account takeover: someone other than the owner using the account.',
  rules: [
    { check: 'is_new_fingerprint', weight: 15 },
    { check: 'is_new_device', weight: 15 },
    { check: 'is_new_ip', weight: 5 },
    // A user's first evaluation has no history to differ from: everything is new, nothing is taken over.
    { check: 'is_new_user', weight: -40 },
    // The network, against the user's trusted logins: a new /24 of a familiar provider is ordinary.
    { check: 'ip_prefix_is_new', weight: 5 },
    { check: 'asn_is_new', weight: 15 },
    { check: 'city_is_new', weight: 5 },
    { check: 'country_is_new', weight: 15 },
    // The browser: an update changes the exact string (ua_is_new weighs nothing alone: nearly half of
    // legitimate logins carry one), not the family or the OS. A person's second device is common, so a new
    // browser or OS weighs little alone and more with a provider the user never used (below).
    { check: 'ua_family_is_new', weight: 5 },
    { check: 'os_is_new', weight: 5 },
    { check: 'impossible_travel', weight: 45 },
    { check: 'country_change', weight: 10 },
    { check: 'ip_is_tor', weight: 30 },
    { check: 'ip_is_vpn', weight: 20 },
    { check: 'ip_is_proxy', weight: 20 },
    { check: 'ip_is_hosting', weight: 15 },
    // ip_is_relay weighs nothing: iCloud Private Relay is a privacy feature millions use, not an attack.
    { check: 'failed_challenges_last_day', weight: 15, when: { operator: 'gte', value: 1 } },
    { check: 'failed_challenges_last_day', weight: 25, when: { operator: 'gte', value: 3 } },
  ],
  combinations: [
    // A new machine in a new place in another country is the classic takeover, more than its parts.
    { rules: [{ check: 'is_new_device' }, { check: 'is_new_ip' }, { check: 'country_change' }], weight: 20 },
    // People log in from access networks; a hosting provider the user never used is someone's server.
    { rules: [{ check: 'asn_is_new' }, { check: 'ip_is_hosting' }], weight: 20 },
    // A new network with the very user agent of the last login: a copied browser (a replayed UA). Within
    // a familiar provider it is what an attacker who knows the victim's ISP and browser sends; a
    // person's browser has often updated by the time their address changes.
    { rules: [{ check: 'ip_prefix_is_new' }, { check: 'ua_repeats_last_login' }], weight: 20 },
    { rules: [{ check: 'asn_is_new' }, { check: 'ua_repeats_last_login' }], weight: 10 },
    // Another machine on a provider the user never used: the attacker's own computer.
    { rules: [{ check: 'asn_is_new' }, { check: 'os_is_new' }], weight: 10 },
  ],
  thresholds: standardThresholds,
};
