// What each feature family adds to the `ato` risk: the table without that family's rules (and the
// combinations that name one of its checks), rescored on the same logins' checks.
import type { RiskTable } from '@vigil/core';

export const FEATURE_FAMILIES: Record<string, readonly string[]> = {
  'network familiarity (prefix, ASN, city, country)': ['ip_prefix_is_new', 'asn_is_new', 'city_is_new', 'country_is_new'],
  'browser familiarity (UA, family, OS, device class)': ['ua_is_new', 'ua_family_is_new', 'os_is_new', 'device_class_is_new'],
  'replayed user agent': ['ua_repeats_last_login'],
  'network type (hosting, VPN, proxy, Tor)': ['ip_is_hosting', 'ip_is_vpn', 'ip_is_proxy', 'ip_is_tor'],
  'travel (country change, impossible travel)': ['country_change', 'impossible_travel'],
};

export function without(table: RiskTable, checks: readonly string[]): RiskTable {
  const dropped = new Set(checks);
  return {
    ...table,
    rules: table.rules.filter((r) => !dropped.has(r.check)),
    combinations: table.combinations.filter((c) => !c.rules.some((r) => dropped.has(r.check))),
  };
}
