import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../index.js';
import { migratedWithProject, storeDialects } from '../test-support/dialects.js';
import { watched } from '../test-support/watched.js';
import { nonceRepository } from './nonces.js';

// On PostgreSQL the nonces redeemed in one turn (the browser evaluations of a shared transaction) are
// redeemed by one statement: each must come out as it would alone, and a nonce presented twice once.
const t0 = Date.UTC(2026, 11, 6, 9, 0, 0);

describe('redeeming nonces together on PostgreSQL', () => {
  let store: Store;
  let projectId: string;
  beforeEach(async () => {
    ({ store, projectId } = await migratedWithProject(storeDialects().postgres, t0));
  });
  afterEach(() => store.close());

  const issue = (deviceCookieId: string, project = projectId) => store.nonces.issue({ projectId: project, deviceCookieId, now: t0, ttlMs: 120_000 });

  it('answers each as it would alone, in one statement, and spends a nonce presented twice once', async () => {
    const other = (await store.projects.create({ name: 'B', allowedOrigins: [], now: t0 })).project.id;
    const [valid, mismatch, expired, spent, foreign] = [await issue('dev-1'), await issue('dev-1'), await issue('dev-1'), await issue('dev-1'), await issue('dev-1', other)];
    await store.nonces.redeem({ projectId, nonce: spent, deviceCookieId: 'dev-1', now: t0 + 1 });
    const asked = [
      { nonce: valid, deviceCookieId: 'dev-1', now: t0 + 1_000 },
      { nonce: mismatch, deviceCookieId: 'dev-2', now: t0 + 1_000 },
      { nonce: 'never-issued', deviceCookieId: 'dev-1', now: t0 + 1_000 },
      { nonce: expired, deviceCookieId: 'dev-1', now: t0 + 120_000 },
      { nonce: spent, deviceCookieId: 'dev-1', now: t0 + 1_000 },
      { nonce: foreign, deviceCookieId: 'dev-1', now: t0 + 1_000 },
      { nonce: valid, deviceCookieId: 'dev-1', now: t0 + 1_000 },
    ];
    const statements: string[] = [];
    const nonces = nonceRepository(watched(store.db, statements));
    const statuses = await Promise.all(asked.map((a) => nonces.redeem({ projectId, ...a })));
    expect(statuses).toEqual(['valid', 'mismatch', 'unknown', 'expired', 'consumed', 'unknown', 'consumed']);
    // One statement for the six nonces, then the one presented again, alone.
    expect(statements).toHaveLength(2);
    // Spent, whatever the outcome, but only in its own project.
    const rows = await store.db.selectFrom('nonces').select(['nonce', 'used_at']).execute();
    const usedAt = new Map(rows.map((r) => [r.nonce, r.used_at]));
    expect([valid, mismatch, expired].map((n) => usedAt.get(n) !== null)).toEqual([true, true, true]);
    expect(usedAt.get(foreign)).toBeNull();
  });
});
