import { type Facts, type FamiliarityDimension, type FamiliarityProfile, type FamiliarValue, type GeoLocation, type LoginTraits, loginTraits, noFacts } from '@vigil/core';
import { classifyUserAgent } from '@vigil/intel';
import type { EvaluationRecord } from '@vigil/store';
import type { Familiarity } from '../schemas/dashboard.js';
import { iso } from './time.js';

/**
 * What one evaluation's login showed on each familiarity dimension, by core's own `loginTraits`, from what
 * the evaluation kept: its IP, what intel said of the IP, and its user agent (classified again here,
 * without the client hints the evaluation may have had: the browser, OS and device class are as the user
 * agent alone tells).
 */
export function traitsOfEvaluation(e: Pick<EvaluationRecord, 'ip' | 'ipInfo' | 'userAgent'>): LoginTraits {
  const info = (e.ipInfo ?? {}) as { asn?: unknown; country?: unknown; precision?: unknown; latitude?: unknown; longitude?: unknown; accuracy_km?: unknown };
  const location: GeoLocation | null =
    info.precision === 'city' && typeof info.latitude === 'number' && typeof info.longitude === 'number'
      ? { latitude: info.latitude, longitude: info.longitude, accuracyKm: typeof info.accuracy_km === 'number' ? info.accuracy_km : 100, precision: 'city' }
      : null;
  const facts: Facts = {
    ...noFacts,
    ip: e.ipInfo
      ? {
          type: 'unknown',
          types: [],
          asn: typeof info.asn === 'number' ? info.asn : null,
          country: typeof info.country === 'string' && info.country ? info.country : null,
          location,
          listAgeDays: null,
        }
      : null,
    userAgent: e.userAgent ? classifyUserAgent(e.userAgent) : null,
  };
  return loginTraits({ action: 'login', channel: 'server', user: { id: '' }, metadata: {}, ip: e.ip, userAgent: e.userAgent }, facts);
}

/**
 * A user's familiar set for people: per dimension, the values their trusted logins had (those seen within
 * retention, since `since`, as the checks count them), most frequent first, each flagged when `login` (an
 * evaluation's traits) had it. `orgOf` names an AS's organisation. A user with nothing learned has
 * `trusted_logins: 0` and empty lists.
 */
export function presentFamiliarity(profile: FamiliarityProfile | null, options: { since: number; login: LoginTraits | null; orgOf(asn: number): string | null }): Familiarity {
  const seenAs = (seen: FamiliarValue) => ({ count: seen.count, first_seen_at: iso(seen.firstAt), last_seen_at: iso(seen.lastAt) });
  const rows = <R>(dimension: FamiliarityDimension, row: (value: string) => R) =>
    Object.entries(profile?.values[dimension] ?? {})
      .filter(([, seen]) => seen.lastAt >= options.since)
      .sort(([a, x], [b, y]) => y.count - x.count || y.lastAt - x.lastAt || a.localeCompare(b))
      .map(([value, seen]) => ({ ...row(value), ...seenAs(seen), this_login: options.login?.[dimension] === value }));
  return {
    trusted_logins: profile?.trustedLogins ?? 0,
    last_trusted_at: profile?.lastTrustedAt == null ? null : iso(profile.lastTrustedAt),
    pending: profile?.pending.length ?? 0,
    networks: {
      asns: rows('asn', (asn) => ({ asn: Number(asn), org: options.orgOf(Number(asn)) })),
      prefixes: rows('ip_prefix', (prefix) => ({ prefix })),
      countries: rows('country', (country) => ({ country })),
      cities: rows('city', (city) => {
        const [latitude = 0, longitude = 0] = city.split(',').map(Number);
        return { latitude, longitude };
      }),
      ips: rows('ip', (ip) => ({ ip })),
    },
    browsers: {
      browsers: rows('browser', (browser) => ({ browser })),
      oses: rows('os', (os) => ({ os })),
      device_classes: rows('device_class', (device_class) => ({ device_class })),
      user_agents: rows('user_agent', (user_agent) => ({ user_agent })),
    },
  };
}
