import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../database.js';
import { groupCommit } from './group-commit.js';

// Another process's writer: takes the write lock, says so, holds it 300 ms (blocking, as a CLI would), commits.
const CLI_WRITER = `
const SQLite = require('better-sqlite3');
const db = new SQLite(process.argv[1]);
db.pragma('busy_timeout = 5000');
db.prepare('begin immediate').run();
db.prepare("insert into users (id, project_id, external_id, first_seen_at, last_seen_at) values ('us_cli', 'pr_1', 'cli', 0, 0)").run();
process.stdout.write('locked\\n', () => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
  db.prepare('commit').run();
  db.close();
});
`;

// The group commit itself, on a real SQLite database: what a failed piece or a failed commit does to the group.
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
  /** A lane whose scope is made once per transaction: how many were made is how many transactions ran. */
  const countingLane = (maxGroupMs: number) => {
    const counted = { transactions: 0 };
    const lane = groupCommit(
      db,
      (trx) => {
        counted.transactions += 1;
        return trx;
      },
      { maxGroupMs },
    );
    return { lane, counted };
  };

  it('carries what arrives in one turn in one transaction, and answers each after the commit', async () => {
    // A generous time budget: this is about grouping, not about the budget (below).
    const { lane, counted } = countingLane(10_000);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        lane.run(async (trx) => {
          await trx
            .insertInto('users')
            .values(user(`us_${i}`))
            .execute();
          return i;
        }),
      ),
    );
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(counted.transactions).toBe(1);
    expect(await db.selectFrom('users').select('id').execute()).toHaveLength(10);
  });

  it('commits and answers a group once it has run its time: what waits goes into the next', async () => {
    const events: string[] = [];
    const { lane, counted } = countingLane(5);
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        lane
          .run(async (trx) => {
            events.push(`start ${i}`);
            await trx
              .insertInto('users')
              .values(user(`us_${i}`))
              .execute();
            busy(6);
            return i;
          })
          .then(() => events.push(`answered ${i}`)),
      ),
    );
    // Each piece runs past the 5 ms budget, so none joins another's group: six commits, and each answer
    // went out before the next piece started (with no budget, all six were one group, answered at once).
    expect(counted.transactions).toBe(6);
    for (let i = 0; i < 5; i++) expect(events.indexOf(`answered ${i}`)).toBeLessThan(events.indexOf(`start ${i + 1}`));
    expect(await db.selectFrom('users').select('id').execute()).toHaveLength(6);
  });

  it('rejects every piece of work of a group whose commit fails, and keeps none of it', async () => {
    // A generous time budget, so that the three share one group however loaded the machine is.
    const { lane } = countingLane(10_000);
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

  it('when a piece fails, rolls the group back and runs each piece again alone: the others are kept, and each settles with its own outcome', async () => {
    const { lane, counted } = countingLane(10_000);
    const runs = { a: 0, b: 0, c: 0 };
    const outcomes = await Promise.allSettled([
      lane.run(async (trx) => {
        runs.a += 1;
        await trx.insertInto('users').values(user('us_a')).execute();
        return 'a';
      }),
      lane.run(async (trx) => {
        runs.b += 1;
        await trx.insertInto('users').values(user('us_b')).execute();
        throw new Error('b fails after writing');
      }),
      // After the failed one: it never ran in the group, and runs alone.
      lane.run(async (trx) => {
        runs.c += 1;
        await trx.insertInto('users').values(user('us_c')).execute();
        return 'c';
      }),
    ]);
    expect(outcomes).toEqual([
      { status: 'fulfilled', value: 'a' },
      { status: 'rejected', reason: expect.objectContaining({ message: 'b fails after writing' }) },
      { status: 'fulfilled', value: 'c' },
    ]);
    expect((await db.selectFrom('users').select('id').orderBy('id').execute()).map((u) => u.id)).toEqual(['us_a', 'us_c']);
    // The group, then one transaction each.
    expect(counted.transactions).toBe(4);
    expect(runs).toEqual({ a: 2, b: 2, c: 1 });
    // The lane goes on grouping.
    await Promise.all([
      lane.run(async (trx) => trx.insertInto('users').values(user('us_d')).execute()),
      lane.run(async (trx) => trx.insertInto('users').values(user('us_e')).execute()),
    ]);
    expect(counted.transactions).toBe(5);
  });

  it('keeps a piece that failed beside others once it succeeds alone', async () => {
    const { lane } = countingLane(10_000);
    let attempts = 0;
    const outcomes = await Promise.allSettled([
      lane.run(async (trx) => trx.insertInto('users').values(user('us_a')).execute()),
      lane.run(async (trx) => {
        attempts += 1;
        await trx.insertInto('users').values(user('us_flaky')).execute();
        if (attempts === 1) throw new Error('only the first time');
        return attempts;
      }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
    expect((outcomes[1] as PromiseFulfilledResult<number>).value).toBe(2);
    // Written once: the first attempt's write rolled back with the group.
    expect((await db.selectFrom('users').select('id').orderBy('id').execute()).map((u) => u.id)).toEqual(['us_a', 'us_flaky']);
  });

  it('waits out another process writing the same file instead of failing the group (a read that becomes a write)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-gc-'));
    const file = join(dir, 'vigil.db');
    const onFile = { dialect: 'sqlite', file } as const;
    const shared = await openDatabase(onFile);
    try {
      await migrateToLatest(shared, onFile);
      await shared.insertInto('projects').values({ id: 'pr_1', name: 'A', client_id: 'c', allowed_origins: '[]', created_at: 0, updated_at: 0 }).execute();
      // The CLI, say: another process holds the write lock, and commits a change 300 ms later.
      const cli = spawn(process.execPath, ['-e', CLI_WRITER, file], { stdio: ['ignore', 'pipe', 'inherit'], cwd: fileURLToPath(new URL('../..', import.meta.url)) });
      await new Promise<void>((resolve, reject) => {
        cli.stdout.once('data', () => resolve());
        cli.once('exit', (code) => reject(new Error(`the writer exited (${code}) before locking`)));
      });
      const lane = groupCommit(shared, (trx) => trx);
      // Reads first, then writes: in a deferred transaction the write would find the snapshot stale.
      const seen = await lane.run(async (trx) => {
        const before = await trx.selectFrom('users').select('id').execute();
        await trx.insertInto('users').values(user('us_lane')).execute();
        return before.map((u) => u.id);
      });
      expect(seen).toEqual(['us_cli']);
      expect((await shared.selectFrom('users').select('id').orderBy('id').execute()).map((u) => u.id)).toEqual(['us_cli', 'us_lane']);
      await new Promise((resolve) => (cli.exitCode === null ? cli.once('exit', resolve) : resolve(null)));
    } finally {
      await shared.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
