import { ipIsPrivacyNetwork } from '../checks/geography.js';
import type { EvaluationInput, Facts, LocatedEvaluation } from '../types.js';
import { type LoginTraits, MAX_TRAIT_LENGTH } from './profile.js';

/**
 * The network an address is in: its /24 (IPv4) or /48 (IPv6). An ISP hands a household a new address
 * within a prefix far more often than it moves it to another prefix.
 */
export function ipPrefixOf(ip: string): string | null {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(ip);
  if (v4) return `${Number(v4[1])}.${Number(v4[2])}.${Number(v4[3])}.0/24`;
  if (!ip.includes(':')) return null;
  const [head = '', tail] = ip.toLowerCase().split('::');
  const groups = head === '' ? [] : head.split(':');
  // `a:b::…` leaves fewer than three groups before the gap: the gap's groups are zeros.
  if (tail !== undefined) while (groups.length < 3) groups.push('0');
  if (groups.length < 3 || groups.slice(0, 3).some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return `${groups
    .slice(0, 3)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/48`;
}

/** What this login shows on each familiarity dimension, from its values and what intel knows of them. */
export function loginTraits(input: EvaluationInput, facts: Facts): LoginTraits {
  const traits: LoginTraits = {};
  if (input.ip) {
    traits.ip = input.ip;
    const prefix = ipPrefixOf(input.ip);
    if (prefix) traits.ip_prefix = prefix;
  }
  const ip = facts.ip;
  if (ip?.asn != null) traits.asn = String(ip.asn);
  if (ip?.country) traits.country = ip.country;
  // Geolocation places are a quarter degree apart: the point is the city.
  if (ip?.location?.precision === 'city') traits.city = `${ip.location.latitude},${ip.location.longitude}`;
  if (input.userAgent) traits.user_agent = input.userAgent.slice(0, MAX_TRAIT_LENGTH);
  const ua = facts.userAgent;
  if (ua?.browser) traits.browser = ua.browser;
  if (ua?.os) traits.os = ua.os;
  if (ua?.deviceClass) traits.device_class = ua.deviceClass;
  return traits;
}

/**
 * Where this login places the person, for travel from it: null behind a privacy network (a relay's or a
 * VPN's place is the network's) and without a place.
 */
export function loginPlace(input: EvaluationInput, facts: Facts, at: number): LocatedEvaluation | null {
  const location = facts.ip?.location ?? null;
  if (location === null || ipIsPrivacyNetwork(facts)) return null;
  return { at, location, country: facts.ip?.country ?? null, relay: false, deviceId: input.deviceId ?? null };
}
