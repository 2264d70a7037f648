import { loginTraits } from '../familiarity/traits.js';
import { browserFamiliarity, isFamiliar, networkFamiliarity } from '../familiarity/measure.js';
import type { FamiliarityDimension } from '../familiarity/profile.js';
import type { Checks, EvaluationInput, Facts, HistorySnapshot } from '../types.js';
import type { CheckContext } from './context.js';

/** Each `<name>_is_new` check and the dimension of the familiar set it reads. */
const newness: readonly [string, FamiliarityDimension][] = [
  ['ip_prefix_is_new', 'ip_prefix'],
  ['asn_is_new', 'asn'],
  ['city_is_new', 'city'],
  ['country_is_new', 'country'],
  ['ua_is_new', 'user_agent'],
  ['ua_family_is_new', 'browser'],
  ['os_is_new', 'os'],
  ['device_class_is_new', 'device_class'],
];

/**
 * How familiar this login is to the user, measured against their trusted logins only (the familiar set:
 * see `loginTrust`), within retention. Absent until the user has a trusted login: with nothing learned,
 * nothing is known to be new.
 */
export function familiarity(input: EvaluationInput, facts: Facts, history: HistorySnapshot, ctx: CheckContext): Checks {
  const profile = history.familiarity;
  if (!profile || profile.trustedLogins === 0) return {};
  const since = ctx.now - ctx.options.retentionMs;
  const traits = loginTraits(input, facts);
  const checks: Checks = { trusted_login_count: profile.trustedLogins };
  for (const [name, dimension] of newness) {
    const value = traits[dimension];
    if (value !== undefined) checks[name] = !isFamiliar(profile, dimension, value, since);
  }
  if (traits.ip !== undefined) checks.network_familiarity = networkFamiliarity(profile, traits, since);
  if (traits.user_agent !== undefined) {
    checks.browser_familiarity = browserFamiliarity(profile, traits, since);
    if (profile.lastUserAgent !== null) checks.ua_repeats_last_login = traits.user_agent === profile.lastUserAgent;
  }
  return checks;
}
