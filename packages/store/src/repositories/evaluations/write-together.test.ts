import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewEvaluation, Store } from '../../index.js';
import { migratedWithProject, storeDialects } from '../../test-support/dialects.js';
import { newEvaluation } from '../../test-support/new-evaluation.js';
import { watched } from '../../test-support/watched.js';
import { recordEvaluation } from './record.js';
import { writingTogether } from './write-at-once.js';

// On PostgreSQL the evaluations of a shared transaction that write in the same turn are written by one
// statement per shape: each must land as its own statement would land it, and be answered with its own.
const t0 = Date.UTC(2026, 11, 6, 9, 0, 0);

describe('writing evaluations side by side on PostgreSQL', () => {
  let store: Store;
  let projectId: string;
  beforeEach(async () => {
    ({ store, projectId } = await migratedWithProject(storeDialects().postgres, t0));
  });
  afterEach(() => store.close());

  const login = (user: string, over: Partial<NewEvaluation> = {}) =>
    newEvaluation(projectId, user, {
      ip: `203.0.113.${user.length}`,
      fingerprintHash: `fp-${user}`,
      fingerprintId: `fp_${user}`,
      user: { externalId: user, email: `${user}@example.com`, phone: null },
      now: t0,
      ...over,
    });

  /** Records `evaluations` in one transaction, all at once, as a shared transaction's members do; and the statements it took. */
  async function together(evaluations: NewEvaluation[]) {
    const statements: string[] = [];
    const recorded = await store.db.transaction().execute(async (trx) => {
      const write = writingTogether(watched(trx, statements));
      return Promise.all(evaluations.map((e) => recordEvaluation(trx, e, write)));
    });
    return { recorded, statements };
  }
  const stored = async () =>
    (
      await sql<{ id: string; external_id: string; user_email: string; fingerprint: string | null; ip: string }>`
        select e.id, u.external_id, u.email as user_email, f.hash as fingerprint, e.ip from evaluations e join users u on u.id = e.user_id
        left join fingerprints f on f.id = e.fingerprint_id order by u.external_id`.execute(store.db)
    ).rows;

  it('writes those of one shape by one statement, each answered with its own user and stored with its own rows', async () => {
    const evaluations = [login('cy'), login('ann'), login('bob'), login('dee')];
    const { recorded, statements } = await together(evaluations);
    expect(statements).toHaveLength(1);
    expect(recorded.map((r) => [r.id, r.user.externalId, r.user.email])).toEqual(evaluations.map((e) => [e.id, e.user.externalId, e.user.email]));
    expect(await stored()).toEqual(
      [...evaluations]
        .sort((a, b) => a.user.externalId.localeCompare(b.user.externalId))
        .map((e) => ({ id: e.id, external_id: e.user.externalId, user_email: e.user.email, fingerprint: e.fingerprintHash, ip: e.ip })),
    );
    // What each was told is what a later read finds: the same user ids.
    const { rows: users } = await sql<{ id: string; external_id: string }>`select id, external_id from users`.execute(store.db);
    for (const r of recorded) expect(users.find((u) => u.external_id === r.user.externalId)?.id).toBe(r.user.id);
    // Each user's IP and fingerprint sightings are their own.
    const { rows: sightings } = await sql<{ external_id: string; ip: string }>`select u.external_id, s.ip from user_ips s join users u on u.id = s.user_id order by 1`.execute(
      store.db,
    );
    expect(sightings).toEqual([
      { external_id: 'ann', ip: '203.0.113.3' },
      { external_id: 'bob', ip: '203.0.113.3' },
      { external_id: 'cy', ip: '203.0.113.2' },
      { external_id: 'dee', ip: '203.0.113.3' },
    ]);
  });

  it('names users seen under a minute ago rather than writing them, side by side as well', async () => {
    const users = ['ann', 'bob', 'cy', 'dee'];
    await together(users.map((user) => login(user)));
    const { rows } = await sql<{ id: string; external_id: string; email: string }>`select id, external_id, email from users order by external_id`.execute(store.db);
    // As their history would read them: every sighting and the user's row written at t0.
    const again = rows.map((u) =>
      login(u.external_id, {
        now: t0 + 5_000,
        lastSightings: {
          ip: t0,
          userFingerprint: t0,
          userFingerprintDeviceId: null,
          fingerprint: t0,
          origin: null,
          user: { id: u.id, lastSeenAt: t0, email: u.email, phone: null, familiarity: null },
        },
      }),
    );
    const { recorded, statements } = await together(again);
    // Four of one shape: one statement, with no user's part.
    expect(statements).toHaveLength(1);
    expect(statements[0]).not.toContain('insert into "users"');
    expect(recorded.map((r) => r.user.id)).toEqual(rows.map((u) => u.id));
    const { rows: named } = await sql<{ user_id: string; last_seen_at: string }>`
      select e.user_id, u.last_seen_at from evaluations e join users u on u.id = e.user_id where e.created_at = ${t0 + 5_000} order by u.external_id`.execute(store.db);
    expect(named.map((n) => [n.user_id, Number(n.last_seen_at)])).toEqual(rows.map((u) => [u.id, t0]));
  });

  it('writes seven of one shape as four, two and one: three sizes of statement per shape, not seven', async () => {
    const users = ['ann', 'bob', 'cy', 'dee', 'eve', 'fay', 'gus'];
    const { recorded, statements } = await together(users.map((user) => login(user)));
    expect(statements.map((s) => (s.match(/ union all /g) ?? []).length + 1)).toEqual([4, 2, 1]);
    expect(recorded.map((r) => r.user.externalId)).toEqual(users);
    expect((await stored()).map((r) => r.external_id)).toEqual(users);
  });

  it('writes each shape by a statement of its own, and an origin two would write by the first only', async () => {
    const browser = { channel: 'client' as const, origin: 'https://shop.example' };
    const { recorded, statements } = await together([login('ann', browser), login('bob'), login('cy', browser), login('dee', browser)]);
    // ann and dee… share a shape but only ann writes the origin: cy and dee go in a statement of their own.
    expect(statements).toHaveLength(3);
    expect(recorded.map((r) => r.user.externalId)).toEqual(['ann', 'bob', 'cy', 'dee']);
    expect((await stored()).map((r) => r.external_id)).toEqual(['ann', 'bob', 'cy', 'dee']);
    const { rows: origins } = await sql<{ origin: string; n: number }>`select origin, count(*)::int as n from project_origins group by origin`.execute(store.db);
    expect(origins).toEqual([{ origin: 'https://shop.example', n: 1 }]);
  });

  it('writes one alone by the statement of its own, and rolls back all it wrote with its transaction when one of them fails', async () => {
    const { statements } = await together([login('ann')]);
    expect(statements).toHaveLength(1);
    expect(statements[0]).not.toContain('union all');
    // A duplicate evaluation id fails the statement they share: none of the three is kept.
    const duplicate = login('cy');
    await expect(together([login('bob'), duplicate, { ...login('dee'), id: duplicate.id }])).rejects.toThrow();
    expect((await stored()).map((r) => r.external_id)).toEqual(['ann']);
  });
});
