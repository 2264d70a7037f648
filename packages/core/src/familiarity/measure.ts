import type { FamiliarityDimension, FamiliarityProfile, FamiliarValue, LoginTraits } from './profile.js';

/**
 * The share of the user's remembered trusted logins that had this value on this dimension (0–1), counting
 * only values seen since `since`. 0 for a value never seen.
 */
export function shareOf(profile: FamiliarityProfile, dimension: FamiliarityDimension, value: string | undefined, since: number): number {
  if (value === undefined) return 0;
  let total = 0;
  let hits = 0;
  for (const [known, seen] of Object.entries(profile.values[dimension] ?? {})) {
    if (seen.lastAt < since) continue;
    total += seen.count;
    if (known === value) hits = seen.count;
  }
  return total === 0 ? 0 : hits / total;
}

/** What the set remembers of this value on this dimension, or undefined when it holds none. */
export function familiarValue(profile: FamiliarityProfile, dimension: FamiliarityDimension, value: string): FamiliarValue | undefined {
  const values = profile.values[dimension];
  // Own values only: `constructor` is not a user agent this user was seen with.
  return values !== undefined && Object.hasOwn(values, value) ? values[value] : undefined;
}

/** Whether the value was seen on a trusted login since `since`. */
export function isFamiliar(profile: FamiliarityProfile, dimension: FamiliarityDimension, value: string, since: number): boolean {
  const seen = familiarValue(profile, dimension, value);
  return seen !== undefined && seen.lastAt >= since;
}

/**
 * How much each level vouches for the whole, from the most to the least specific: the same IP is the same
 * place; the same /24 nearly; the same ASN is the same provider, whose addresses a household or phone
 * moves between; the same city or country alone says little. The familiarity of a login's network (or
 * browser) is the best-vouched level: max over levels of weight × share.
 */
const networkLevels: readonly [FamiliarityDimension, number][] = [
  ['ip', 1],
  ['ip_prefix', 0.9],
  ['asn', 0.75],
  ['city', 0.4],
  ['country', 0.2],
];

const round = (x: number) => Math.round(x * 100) / 100;

export function networkFamiliarity(profile: FamiliarityProfile, traits: LoginTraits, since: number): number {
  return round(Math.max(0, ...networkLevels.map(([d, w]) => w * shareOf(profile, d, traits[d], since))));
}

/** The exact user agent is this browser; the same browser family on the same OS is it after an update. */
export function browserFamiliarity(profile: FamiliarityProfile, traits: LoginTraits, since: number): number {
  const exact = shareOf(profile, 'user_agent', traits.user_agent, since);
  const family = Math.min(shareOf(profile, 'browser', traits.browser, since), shareOf(profile, 'os', traits.os, since));
  const kind = shareOf(profile, 'device_class', traits.device_class, since);
  return round(Math.max(exact, 0.8 * family, 0.2 * kind));
}
