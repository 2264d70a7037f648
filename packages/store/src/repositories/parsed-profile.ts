import { type FamiliarityProfile, parseProfile } from '@vigil/core';
import { LRUCache } from 'lru-cache';
import { familiarSetJson } from '../json-writers.js';

/** Familiar sets kept parsed by default: a few kB each (the text and its parse). */
export const DEFAULT_PARSED_PROFILES_KEPT = 5_000;

/**
 * The text each profile was parsed from or stored as. A login's write compares the row with it: the
 * set it learned from is still the stored one (repositories/evaluations/familiar-set.ts).
 */
const texts = new WeakMap<FamiliarityProfile, string>();
/** The user (`users.id`) each kept profile is the familiar set of. */
const owners = new WeakMap<FamiliarityProfile, string>();

/**
 * The last familiar set read or written for each user, by the user's id. What is kept is used only
 * when the row holds exactly its text, so it is exact whoever wrote the row, on any node. Keyed by the
 * text itself before: hashing a 1.2 kB text as a key at each read and each write (the row's text is a
 * new string every time) cost 4 % of a warm evaluation's CPU; comparing it with the kept one costs a
 * memory compare.
 */
let kept = new LRUCache<string, FamiliarityProfile>({ max: DEFAULT_PARSED_PROFILES_KEPT });
let enabled = true;

/**
 * How many familiar sets are kept parsed (VIGIL_FAMILIARITY_CACHE_SIZE), for the whole process; 0 keeps
 * none. Stores in one process can share it: users' ids are unique.
 */
export function keepParsedProfiles(max: number): void {
  kept = new LRUCache<string, FamiliarityProfile>({ max: Math.max(1, max) });
  enabled = max > 0;
}

/**
 * A user's stored familiar set, parsed. Every login reads it (for its history, then for the effect
 * that learns from it) and writes the next one: parsing was 4 % of a warm evaluation's CPU. The text
 * a login writes is kept with the profile it came from (`profileText`), so the user's next evaluation,
 * reading that text back, finds it parsed. Safe to share: core never changes a profile in place, it
 * returns a new one. `owner`: the user's id, to keep it by (none: parsed, not kept).
 */
export function parsedProfile(json: string | null, owner?: string): FamiliarityProfile | null {
  if (json === null) return null;
  const known = enabled && owner !== undefined ? kept.get(owner) : undefined;
  if (known !== undefined && texts.get(known) === json) return known;
  // A damaged or older value parses to null and is not kept: it is rare, and never trusted.
  const profile = parseProfile(json);
  if (profile === null) return null;
  texts.set(profile, json);
  if (enabled && owner !== undefined) keep(owner, profile);
  return profile;
}

function keep(owner: string, profile: FamiliarityProfile): void {
  owners.set(profile, owner);
  kept.set(owner, profile);
}

/**
 * The text to store for `profile`, kept with it so that reading it back costs no parse, for the user
 * whose set `from` was (the one it was learned from). Not a new user's first one: most new users come
 * back later than thousands of others, if at all, and keeping every first set only pushed out the
 * returning users' (and cost new users 5 % of throughput). A user who comes back has theirs kept from
 * the read on.
 */
export function profileText(profile: FamiliarityProfile, from?: FamiliarityProfile | null): string {
  const json = familiarSetJson(profile);
  texts.set(profile, json);
  const owner = from ? owners.get(from) : undefined;
  if (enabled && owner !== undefined && profile.trustedLogins + profile.pending.length > 1) keep(owner, profile);
  return json;
}

/** The stored text `profile` was read from (or written as) in this process; undefined when unknown. */
export function storedTextOf(profile: FamiliarityProfile): string | undefined {
  return texts.get(profile);
}
