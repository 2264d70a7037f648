import type { Checks, EvaluationInput, Facts, IpType } from '../types.js';

/** The anonymising and automated network kinds that each have an `ip_is_<type>` check. */
const flaggedTypes = ['vpn', 'proxy', 'tor', 'hosting', 'relay', 'crawler'] as const satisfies readonly IpType[];

/**
 * What the IP lists say about the evaluation's address. An address can be several kinds at once (a VPN
 * exit in a hosting range), so each flag reads every type some list gave it. Absent when nothing is
 * known about the IP (no IP, or no intelligence loaded).
 */
export function networkReputation(_input: EvaluationInput, facts: Facts): Checks {
  const ip = facts.ip;
  if (ip === null) return {};
  const checks: Checks = {};
  for (const type of flaggedTypes) checks[`ip_is_${type}`] = ip.type === type || ip.types.includes(type);
  if (ip.country !== null) checks.ip_country = ip.country;
  if (ip.asn !== null) checks.ip_asn = ip.asn;
  if (ip.listAgeDays !== null) checks.ip_list_age_days = ip.listAgeDays;
  return checks;
}
