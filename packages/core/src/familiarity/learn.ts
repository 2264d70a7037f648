import {
  emptyProfile,
  FAMILIARITY_DIMENSIONS,
  type FamiliarityProfile,
  type FamiliarValue,
  type LoginTraits,
  MAX_PENDING,
  MAX_VALUES_PER_DIMENSION,
  type PendingLogin,
} from './profile.js';
import type { LocatedEvaluation } from '../types.js';
import { familiarValue } from './measure.js';
import type { LoginSettlement, LoginTrust } from './trust.js';

/** A login as the familiar set takes it in. */
export type Login = Omit<PendingLogin, 'suspect'>;

/** The values seen least, then least recently, go first when a dimension is full. */
export function keepMostFamiliar(values: Record<string, FamiliarValue>): Record<string, FamiliarValue> {
  const entries = Object.entries(values);
  if (entries.length <= MAX_VALUES_PER_DIMENSION) return values;
  entries.sort(([, a], [, b]) => b.count - a.count || b.lastAt - a.lastAt);
  return Object.fromEntries(entries.slice(0, MAX_VALUES_PER_DIMENSION));
}

/** The profile with one more trusted login; values unseen within retention are forgotten. */
function learn(profile: FamiliarityProfile, login: Login, retentionMs: number): FamiliarityProfile {
  const since = login.at - retentionMs;
  const values: FamiliarityProfile['values'] = {};
  for (const dimension of FAMILIARITY_DIMENSIONS) {
    // Copied key by key and counted as it goes: an entry array per value (Object.entries), and the keys
    // counted again after, per dimension at every login, were most of what learning allocated.
    // No prototype: a value is data from the request (a user agent may be `constructor` or `__proto__`),
    // and on a plain object those names read and write the prototype's members, not the value's count.
    const known: Record<string, FamiliarValue> = Object.create(null);
    let count = 0;
    const before = profile.values[dimension];
    if (before !== undefined) {
      for (const value of Object.keys(before)) {
        const seen = before[value]!;
        if (seen.lastAt >= since) {
          known[value] = seen;
          count++;
        }
      }
    }
    const value = login.traits[dimension];
    if (value !== undefined) {
      const seen = known[value];
      if (seen === undefined) count++;
      known[value] = seen
        ? { count: seen.count + 1, firstAt: Math.min(seen.firstAt, login.at), lastAt: Math.max(seen.lastAt, login.at) }
        : { count: 1, firstAt: login.at, lastAt: login.at };
    }
    if (count > 0) values[dimension] = count > MAX_VALUES_PER_DIMENSION ? keepMostFamiliar(known) : known;
  }
  // A pending login learned late must not move "the last login" back in time.
  const latest = profile.lastTrustedAt === null || login.at >= profile.lastTrustedAt;
  return {
    ...profile,
    trustedLogins: profile.trustedLogins + 1,
    lastTrustedAt: latest ? login.at : profile.lastTrustedAt,
    lastUserAgent: latest ? (login.traits.user_agent ?? profile.lastUserAgent) : profile.lastUserAgent,
    place: latest && login.place ? login.place : profile.place,
    values,
  };
}

/** How soon after the last login learned a login that brings nothing new is the same visit. */
export const SAME_VISIT_MS = 60_000;

/**
 * A trusted login under a minute after the last one learned, with that login's values (every one), the
 * same browser and the same place: the same visit (a page view after the login, a retried request),
 * which teaches nothing. Learned, it only moved counts and times, and cost the user's row a write; and a
 * burst of them made the visit's values look more familiar than the user's other places and browsers.
 */
function repeatsLastLearned(profile: FamiliarityProfile, login: Login): boolean {
  if (profile.lastTrustedAt === null) return false;
  const since = login.at - profile.lastTrustedAt;
  if (since < 0 || since >= SAME_VISIT_MS) return false;
  if (login.traits.user_agent !== undefined && login.traits.user_agent !== profile.lastUserAgent) return false;
  if (login.place !== null && !samePlace(login.place, profile.place)) return false;
  for (const dimension of FAMILIARITY_DIMENSIONS) {
    const value = login.traits[dimension];
    if (value === undefined) continue;
    // The last login's own values, not merely known ones: a value last seen months ago would otherwise
    // keep its old time and leave the set at retention's end although it is in use.
    if (familiarValue(profile, dimension, value)?.lastAt !== profile.lastTrustedAt) return false;
  }
  return true;
}

function samePlace(a: LocatedEvaluation, b: LocatedEvaluation | null): boolean {
  return (
    b !== null &&
    a.location.latitude === b.location.latitude &&
    a.location.longitude === b.location.longitude &&
    a.country === b.country &&
    a.relay === b.relay &&
    a.deviceId === b.deviceId
  );
}

/**
 * The familiar set after a login: a trusted one is learned, a pending or suspect one held apart (the
 * oldest is dropped when `MAX_PENDING` are waiting), an untrusted one changes nothing. Returns the same
 * object when nothing changed, so the caller can skip the write.
 */
export function observeLogin(profile: FamiliarityProfile | null, login: Login, trust: LoginTrust, retentionMs: number): FamiliarityProfile | null {
  if (trust === 'untrusted') return profile;
  const current = profile ?? emptyProfile();
  if (trust === 'trusted') return repeatsLastLearned(current, login) ? current : learn(current, login, retentionMs);
  const held: PendingLogin = trust === 'suspect' ? { ...login, suspect: true } : login;
  return { ...current, pending: [...current.pending, held].slice(-MAX_PENDING) };
}

/**
 * A held login's trust settled (see `LoginTrust`): learned when verified, or consumed and not suspect;
 * dropped when its verification failed. Null when nothing changes: the login is not held (already
 * settled, learned at once, never held, or dropped as the oldest), or a suspect one was only consumed.
 */
export function settleLogin(profile: FamiliarityProfile | null, evaluationId: string, settlement: LoginSettlement, retentionMs: number): FamiliarityProfile | null {
  const held = profile?.pending.find((p) => p.evaluation === evaluationId);
  if (!profile || !held) return null;
  if (settlement === 'consumed' && held.suspect) return null;
  const rest = { ...profile, pending: profile.pending.filter((p) => p !== held) };
  if (settlement === 'failed') return rest;
  const { suspect: _, ...login } = held;
  return learn(rest, login, retentionMs);
}

export type { LoginTraits };
