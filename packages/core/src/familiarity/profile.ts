import type { LocatedEvaluation } from '../types.js';

/**
 * What a user's familiar set remembers of each login, from the network down to the browser. Each is a
 * level of a hierarchy: a new IP in a familiar /24 or ASN is ordinary, a new ASN is not; a new UA string
 * of a familiar browser and OS is an update, not a new device.
 */
export const FAMILIARITY_DIMENSIONS = ['ip', 'ip_prefix', 'asn', 'city', 'country', 'user_agent', 'browser', 'os', 'device_class'] as const;
export type FamiliarityDimension = (typeof FAMILIARITY_DIMENSIONS)[number];

/** One login's value on each dimension; a dimension the login has no value for is absent. */
export type LoginTraits = { [D in FamiliarityDimension]?: string };

/** How often and how recently the user's trusted logins had one value. */
export interface FamiliarValue {
  count: number;
  firstAt: number;
  lastAt: number;
}

/** A login whose trust is not settled yet (challenged, or medium risk): held apart from the familiar set. */
export interface PendingLogin {
  evaluation: string;
  at: number;
  traits: LoginTraits;
  place: LocatedEvaluation | null;
  /** It scored high: only a passed verification, never a consumption, makes it the user's. */
  suspect?: boolean;
}

/**
 * A user's familiar set: learned only from trusted logins (see `loginTrust`), so an attacker's login never
 * becomes the place or browser the next one is compared with. Bounded: a user has at most
 * `MAX_VALUES_PER_DIMENSION` values per dimension and `MAX_PENDING` logins pending.
 */
export interface FamiliarityProfile {
  version: 1;
  /** Trusted logins learned (within retention, as far as the values go). */
  trustedLogins: number;
  lastTrustedAt: number | null;
  /** The exact user agent of the last trusted login: an attacker who copies it copies this one. */
  lastUserAgent: string | null;
  /** The last trusted login's place, when it was a place a person was (never a VPN's or a relay's). */
  place: LocatedEvaluation | null;
  values: { [D in FamiliarityDimension]?: Record<string, FamiliarValue> };
  pending: PendingLogin[];
}

export const MAX_VALUES_PER_DIMENSION = 24;
export const MAX_PENDING = 8;
/** A user agent longer than this is remembered by its first characters (the rest is noise). */
export const MAX_TRAIT_LENGTH = 256;

export function emptyProfile(): FamiliarityProfile {
  return { version: 1, trustedLogins: 0, lastTrustedAt: null, lastUserAgent: null, place: null, values: {}, pending: [] };
}

/** A stored profile, or null when it is not one (an older or damaged value is ignored, never trusted). */
export function parseProfile(json: string | null): FamiliarityProfile | null {
  if (json === null) return null;
  try {
    const value = JSON.parse(json) as Partial<FamiliarityProfile> | null;
    if (value === null || typeof value !== 'object' || value.version !== 1 || typeof value.trustedLogins !== 'number' || typeof value.values !== 'object') return null;
    return { ...emptyProfile(), ...value } as FamiliarityProfile;
  } catch {
    return null;
  }
}
