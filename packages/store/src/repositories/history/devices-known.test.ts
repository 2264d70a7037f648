import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../index.js';
import { migratedWithProject, storeDialects } from '../../test-support/dialects.js';
import { historyKey, newEvaluation } from '../../test-support/new-evaluation.js';
import { identifyingEach, resolveIds } from './resolve-ids.js';

// The user's devices are read at every evaluation of a user seen before. What identifies the user says
// when there is nothing to read: on SQLite, a user who never had a device (a backend evaluating without
// the browser's cookie) has none, so their devices are not read by a statement of their own; on
// PostgreSQL the devices come with the ids anyway.
const t0 = Date.UTC(2026, 11, 6, 9, 0, 0);

describe.each(Object.entries(storeDialects()))("the user's devices known with the ids on %s", (dialect, open) => {
  let store: Store;
  let projectId: string;
  beforeEach(async () => {
    ({ store, projectId } = await migratedWithProject(open, t0));
    await store.evaluating(['user:bob'], (scope) => scope.record(newEvaluation(projectId, 'bob', { now: t0 })));
    await store.evaluating(['user:alice'], (scope) =>
      scope.record(newEvaluation(projectId, 'alice', { channel: 'client', deviceCookieId: 'cookie-a', deviceId: 'dv_alice', now: t0 })),
    );
  });
  afterEach(() => store.close());

  /** The history's key for `user`'s next evaluation: a backend's, without a cookie. */
  const keyOf = (user: string) => historyKey(projectId, user, { now: t0 + 1_000 });
  const devicesOf = async (user: string) => (await resolveIds(identifyingEach(store.db), keyOf(user))).devices;

  it('knows a backend-only user has none, and reads the devices of one who has', async () => {
    expect(await devicesOf('bob')).toEqual([]);
    const alice = await devicesOf('alice');
    if (dialect === 'sqlite') expect(alice).toBeNull();
    else expect(alice?.map((d) => d.id)).toEqual(['dv_alice']);
    // Either way, what the history makes of them is the device itself.
    const { snapshot } = await store.evaluating(['user:alice'], (scope) => scope.history.load(keyOf('alice')));
    expect(snapshot.devices.map((d) => d.deviceId)).toEqual(['dv_alice']);
  });
});
