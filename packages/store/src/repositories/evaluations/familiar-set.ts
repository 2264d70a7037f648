import { type Effect, observeLogin } from '@vigil/core';
import { parsedProfile, profileText, storedTextOf } from '../parsed-profile.js';
import type { NewEvaluation } from './types.js';

type Observation = Extract<Effect, { type: 'observe_login' }>;

/**
 * A login's observation written in the user's upsert: the familiar set the history read (`read`, its
 * stored text) and the one learned from it (`next`). The upsert stores `next` only while the row still
 * holds `read`; anything else (a challenge settled or an import merged in between) is left as it is,
 * and the observation then runs as a statement of its own on what the row holds. An evaluation that
 * learns on every production login so writes its user's row once, not twice: on PostgreSQL that was
 * a round trip and a second row version per login.
 */
export interface PlannedFamiliarSet {
  read: string | null;
  next: string;
}

/** The decision's observation, where test traffic (a development key) teaches nothing. */
function observationOf(e: NewEvaluation): Observation | null {
  if (e.environment !== 'production') return null;
  return (e.effects.find((effect) => effect.type === 'observe_login') as Observation | undefined) ?? null;
}

function learnedFrom(profile: ReturnType<typeof parsedProfile>, e: NewEvaluation, observation: Observation) {
  const login = { evaluation: e.id, at: e.now, traits: observation.traits, place: observation.place };
  return observeLogin(profile, login, observation.trust, observation.retentionMs);
}

/**
 * The set to write with the user, from the one the history read (`e.familiarity`); 'unchanged' when the
 * observation changes nothing, null when it cannot be planned (no observation, or the set read is not
 * known as stored text) and runs after the write instead.
 */
export function plannedFamiliarSet(e: NewEvaluation): PlannedFamiliarSet | 'unchanged' | null {
  const observation = observationOf(e);
  if (observation === null || e.familiarity === undefined) return null;
  const read = e.familiarity === null ? null : storedTextOf(e.familiarity);
  if (read === undefined) return null;
  const next = learnedFrom(e.familiarity, e, observation);
  if (next === null || next === e.familiarity) return 'unchanged';
  return { read, next: profileText(next, e.familiarity) };
}

/**
 * The evaluation writes nothing of the familiar set, with the user or after: no observation, or one that
 * changes nothing (a visit already learned).
 */
export function learnsNothing(e: NewEvaluation, planned: PlannedFamiliarSet | 'unchanged' | null): boolean {
  return planned === 'unchanged' || (planned === null && observationOf(e) === null);
}

/**
 * The set to store after the write, learned from what the row holds (`stored`): null when the write
 * already stored the planned one, or when the observation changes nothing.
 */
export function familiarSetAfter(e: NewEvaluation, planned: PlannedFamiliarSet | 'unchanged' | null, stored: string | null): string | null {
  const observation = observationOf(e);
  if (observation === null) return null;
  if (planned === 'unchanged' || (planned !== null && stored === planned.next)) return null;
  const profile = parsedProfile(stored);
  const next = learnedFrom(profile, e, observation);
  return next === null || next === profile ? null : profileText(next);
}
