import { type Effect, emptyProfile, type FamiliarityProfile } from '@vigil/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evaluationSubjects, type NewEvaluation, type Store } from '../../index.js';
import { migratedWithProject, storeDialects } from '../../test-support/dialects.js';
import { historyKey, newEvaluation } from '../../test-support/new-evaluation.js';
import { parsedProfile } from '../parsed-profile.js';
import { plannedFamiliarSet } from './familiar-set.js';

// A login's familiar set is written with its user's upsert, learned from the set the history read, and
// only while the row still holds that set: on both dialects (SQLite one statement at a time, PostgreSQL
// the one statement), against real databases.
const dialects = storeDialects();
const t0 = Date.UTC(2026, 11, 6, 9, 0, 0);
const DAY = 86_400_000;

const observation = (ip: string, trust: 'trusted' | 'untrusted' = 'trusted'): Effect => ({
  type: 'observe_login',
  trust,
  traits: { ip, country: 'FR' },
  place: null,
  retentionMs: 90 * DAY,
});

describe.each(Object.entries(dialects))('a login learned with its user on %s', (_dialect, open) => {
  let store: Store;
  let projectId: string;
  beforeEach(async () => {
    ({ store, projectId } = await migratedWithProject(open, t0));
  });
  afterEach(() => store.close());

  const storedText = async (user: string) =>
    (await store.db.selectFrom('users').select('familiarity').where('project_id', '=', projectId).where('external_id', '=', user).executeTakeFirstOrThrow()).familiarity;

  /** Records a login of `user` as the evaluation path does: the history read, then the write, as one unit. */
  const login = (user: string, at: number, effect: Effect, over: Partial<NewEvaluation> = {}, read?: (stored: FamiliarityProfile | null) => FamiliarityProfile | null) =>
    store.evaluating(evaluationSubjects(projectId, { user, ip: '203.0.113.7', fingerprint: null, deviceCookieId: null }), async (scope) => {
      const { snapshot } = await scope.history.load(historyKey(projectId, user, { now: at }));
      const familiarity = read ? read(snapshot.familiarity) : snapshot.familiarity;
      const e = newEvaluation(projectId, user, { now: at, effects: [effect], familiarity, ...over });
      return { planned: plannedFamiliarSet(e), recorded: await scope.record(e) };
    });

  it('writes what a login learned from the set its history read, in the user upsert', async () => {
    const first = await login('alice', t0, observation('198.51.100.1'));
    // A new user: learned from nothing, the set their row starts with.
    expect(first.planned).toMatchObject({ read: null });
    const afterFirst = await storedText('alice');
    expect(afterFirst).toBe((first.planned as { next: string }).next);

    const second = await login('alice', t0 + 60_000, observation('198.51.100.2'));
    expect(second.planned).toMatchObject({ read: afterFirst });
    const afterSecond = await storedText('alice');
    expect(afterSecond).toBe((second.planned as { next: string }).next);
    const profile = parsedProfile(afterSecond);
    expect(profile?.trustedLogins).toBe(2);
    expect(Object.keys(profile?.values.ip ?? {}).sort()).toEqual(['198.51.100.1', '198.51.100.2']);
  });

  it('learns on what the row holds when the set changed after the history read it, losing neither', async () => {
    await login('bob', t0, observation('198.51.100.1'));
    const read = parsedProfile(await storedText('bob'));
    // Another writer (a challenge settled, an import merged) stores a set with five logins between this
    // evaluation's history read and its write: the login must be learned on that set, not replace it.
    const elsewhere = JSON.stringify({ ...emptyProfile(), trustedLogins: 5, lastTrustedAt: t0, values: { ip: { '192.0.2.9': { count: 5, firstAt: t0, lastAt: t0 } } } });
    await store.db.updateTable('users').set({ familiarity: elsewhere }).where('external_id', '=', 'bob').execute();
    const raced = await login('bob', t0 + 60_000, observation('198.51.100.2'), {}, () => read);
    expect(raced.planned).toMatchObject({ read: expect.any(String) });
    const profile = parsedProfile(await storedText('bob'));
    expect(profile?.trustedLogins).toBe(6);
    expect(Object.keys(profile?.values.ip ?? {}).sort()).toEqual(['192.0.2.9', '198.51.100.2']);
  });

  it('learns after the write when the set read is not known as stored text', async () => {
    await login('carol', t0, observation('198.51.100.1'));
    const made = { ...emptyProfile(), trustedLogins: 1 };
    const result = await login('carol', t0 + 60_000, observation('198.51.100.2'), {}, () => made);
    expect(result.planned).toBeNull();
    expect(parsedProfile(await storedText('carol'))?.trustedLogins).toBe(2);
  });

  it('leaves the set as it is for an untrusted login and for test traffic', async () => {
    await login('dave', t0, observation('198.51.100.1'));
    const before = await storedText('dave');
    const untrusted = await login('dave', t0 + 60_000, observation('198.51.100.2', 'untrusted'));
    expect(untrusted.planned).toBe('unchanged');
    const development = await login('dave', t0 + 120_000, observation('198.51.100.3'), { environment: 'development' });
    expect(development.planned).toBeNull();
    expect(await storedText('dave')).toBe(before);
  });
});
