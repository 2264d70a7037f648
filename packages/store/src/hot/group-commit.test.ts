import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../database.js';
import { groupCommit } from './group-commit.js';

// The group commit itself, on a real SQLite database: what a failed commit does to the group.
describe('groupCommit (SQLite)', () => {
  const options = { dialect: 'sqlite', file: ':memory:' } as const;
  let db: Awaited<ReturnType<typeof openDatabase>>;
  beforeEach(async () => {
    db = await openDatabase(options);
    await migrateToLatest(db, options);
    await db.insertInto('projects').values({ id: 'pr_1', name: 'A', client_id: 'c', allowed_origins: '[]', created_at: 0, updated_at: 0 }).execute();
  });
  afterEach(() => db.destroy());

  const user = (id: string, project = 'pr_1') => ({ id, project_id: project, external_id: id, first_seen_at: 0, last_seen_at: 0 });

  it('carries what arrives in one turn in one transaction, and answers each after the commit', async () => {
    // The scope is made once per transaction: how many were made is how many transactions ran.
    let transactions = 0;
    const lane = groupCommit(db, (trx) => {
      transactions += 1;
      return trx;
    });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        lane.run(async (trx) => {
          await trx.insertInto('users').values(user(`us_${i}`)).execute();
          return i;
        }),
      ),
    );
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(transactions).toBe(1);
    expect(await db.selectFrom('users').select('id').execute()).toHaveLength(10);
  });

  it('rejects every piece of work of a group whose commit fails, and keeps none of it', async () => {
    const lane = groupCommit(db, (trx) => trx);
    const outcomes = await Promise.allSettled([
      lane.run(async (trx) => trx.insertInto('users').values(user('us_a')).execute()),
      lane.run(async (trx) => {
        // Checked at commit rather than at once: a user of a project that does not exist.
        await sql`pragma defer_foreign_keys = on`.execute(trx);
        await trx.insertInto('users').values(user('us_b', 'pr_missing')).execute();
      }),
      lane.run(async (trx) => trx.insertInto('users').values(user('us_c')).execute()),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await db.selectFrom('users').select('id').execute()).toEqual([]);
    // The lane goes on: the next group commits.
    await lane.run(async (trx) => trx.insertInto('users').values(user('us_d')).execute());
    expect(await db.selectFrom('users').select('id').execute()).toEqual([{ id: 'us_d' }]);
  });
});
