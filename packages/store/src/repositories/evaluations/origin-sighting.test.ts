import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../index.js';
import { migratedWithProject, storeDialects } from '../../test-support/dialects.js';
import { newEvaluation } from '../../test-support/new-evaluation.js';

// An origin's sighting is written at most once a minute, from what the evaluation's history read of it.
const t0 = Date.UTC(2026, 11, 6, 9, 0, 0);

describe.each(Object.entries(storeDialects()))('the origin sighting on %s', (_dialect, open) => {
  let store: Store;
  let projectId: string;
  beforeEach(async () => {
    ({ store, projectId } = await migratedWithProject(open, t0));
  });
  afterEach(() => store.close());

  const lastSeen = async () =>
    (await store.db
      .selectFrom('project_origins')
      .select(['first_seen_at', 'last_seen_at'])
      .where('project_id', '=', projectId)
      .where('origin', '=', 'https://shop.example')
      .executeTakeFirst()) ?? null;
  const record = (now: number, originLastSeenAt: number | null) =>
    store.evaluating([`user:${now}`], (scope) => scope.record(newEvaluation(projectId, 'alice', { channel: 'client', origin: 'https://shop.example', originLastSeenAt, now })));

  it('is written the first time, skipped within a minute of the last, and moved once a minute has passed', async () => {
    await record(t0, null);
    expect(await lastSeen()).toEqual({ first_seen_at: t0, last_seen_at: t0 });
    await record(t0 + 59_000, t0);
    expect(await lastSeen()).toEqual({ first_seen_at: t0, last_seen_at: t0 });
    await record(t0 + 60_000, t0);
    expect(await lastSeen()).toEqual({ first_seen_at: t0, last_seen_at: t0 + 60_000 });
    // The evaluation itself keeps its origin either way.
    const origins = await store.db.selectFrom('evaluations').select('origin').where('project_id', '=', projectId).execute();
    expect(origins.map((o) => o.origin)).toEqual(['https://shop.example', 'https://shop.example', 'https://shop.example']);
  });

  it('is written when the history did not say when the origin was last seen', async () => {
    await record(t0, null);
    await store.evaluating(['user:x'], (scope) => scope.record(newEvaluation(projectId, 'bob', { channel: 'client', origin: 'https://shop.example', now: t0 + 1_000 })));
    expect(await lastSeen()).toEqual({ first_seen_at: t0, last_seen_at: t0 + 1_000 });
  });
});
