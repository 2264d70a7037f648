import { type FamiliarityProfile, parseProfile } from '@vigil/core';

let last: { json: string; profile: FamiliarityProfile | null } | null = null;

/**
 * A user's stored familiar set, parsed. A login reads it twice in its unit of work: for its history,
 * then for the effect that learns from it (from the row its user upsert returned). Both are the same
 * text, so the second is the first's parse: parsing was 5 % of a warm evaluation's CPU. One entry,
 * and safe to share: core never changes a profile in place, it returns a new one.
 */
export function parsedProfile(json: string | null): FamiliarityProfile | null {
  if (json === null) return null;
  if (last !== null && last.json === json) return last.profile;
  const profile = parseProfile(json);
  last = { json, profile };
  return profile;
}
