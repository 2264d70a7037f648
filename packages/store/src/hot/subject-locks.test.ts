import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../index.js';
import type { Database } from '../schema.js';
import { postgresUrl, storeDialects } from '../test-support/dialects.js';
import { lockKey, subjectLocks } from './subject-locks.js';

// PostgreSQL's evaluations beyond `transactions` open ones share a transaction with others whose subjects
// they do not share (group commit). A real PostgreSQL server; the work is plain SQL on the transaction.
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('subject locks on PostgreSQL', () => {
  let store: Store;
  let db: Kysely<Database>;
  beforeEach(async () => {
    store = await storeDialects(8).postgres();
    db = store.db;
    await sql`create table written (name text primary key)`.execute(db);
  });
  afterEach(() => store.close());

  // One transaction open is enough for the next evaluation to join it.
  const locks = (options: { maxGroupMs?: number } = {}) => subjectLocks(db, (trx) => trx, { transactions: 1, ...options });
  const txid = async (trx: Kysely<Database>) => (await sql<{ id: string }>`select txid_current()::text as id`.execute(trx)).rows[0]!.id;
  const write = (trx: Kysely<Database>, name: string) => sql`insert into written (name) values (${name})`.execute(trx);
  /**
   * Starts the first piece of work, then the others once it runs: a transaction is open to others only
   * once it has begun (taken its locks).
   */
  async function staggered<T>(names: string[], start: (name: string, i: number, started: () => void) => Promise<T>): Promise<PromiseSettledResult<T>[]> {
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const first = start(names[0]!, 0, started);
    await running;
    return Promise.allSettled([first, ...names.slice(1).map((name, i) => start(name, i + 1, () => undefined))]);
  }
  /** Runs `test` while another session holds `subject`'s lock; `release` ends that session's transaction. */
  async function whileHeld(subject: string, test: (release: () => Promise<void>) => Promise<void>) {
    const holder = new pg.Client({ connectionString: postgresUrl });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select pg_advisory_xact_lock($1)', [lockKey(subject).toString()]);
      await test(async () => {
        await holder.query('commit');
      });
    } finally {
      await holder.end();
    }
  }
  /**
   * A transaction kept open for `ms` (work on `user:a`), started 10 ms before it returns: what arrives
   * meanwhile finds one open, and so shares. Its outcome comes wrapped (`open`): an async function
   * returning the promise itself would wait for it.
   */
  async function keptOpen(run: ReturnType<typeof locks>, ms: number): Promise<{ open: Promise<string> }> {
    const open = run.run(['user:a'], async (trx) => {
      await sleep(ms);
      return txid(trx);
    });
    await sleep(10);
    return { open };
  }
  const written = async () => (await sql<{ name: string }>`select name from written order by name`.execute(db)).rows.map((r) => r.name);

  it('lets work on subjects no one else holds join an open transaction, and answers after its commit', async () => {
    // A window wider than the default 5 ms: the others arrive once the first has begun and taken its
    // locks, two round trips that a loaded machine stretched past 5 ms (the first then ran alone).
    const run = locks({ maxGroupMs: 1_000 });
    const outcomes = await staggered(['a', 'b', 'c', 'd'], (name, _i, started) =>
      run
        .run([`user:${name}`], async (trx) => {
          started();
          const id = await txid(trx);
          await write(trx, name);
          await sleep(30);
          return id;
        })
        // Answered means committed: another connection reads the row by then.
        .then(async (id) => ({ id, visible: (await written()).includes(name) })),
    );
    const answers = outcomes.map((o) => (o as PromiseFulfilledResult<{ id: string; visible: boolean }>).value);
    expect(new Set(answers.map((a) => a.id)).size).toBe(1);
    expect(answers.every((a) => a.visible)).toBe(true);
    expect(await written()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('never shares a transaction between work on one subject: each waits for the one before to commit', async () => {
    const run = locks();
    let running = 0;
    let most = 0;
    const ids = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        run.run(['ip:203.0.113.7', `user:${n}`], async (trx) => {
          running += 1;
          most = Math.max(most, running);
          const id = await txid(trx);
          await sleep(20);
          running -= 1;
          return id;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(new Set(ids).size).toBe(4);
  });

  it('when one of a shared transaction fails, rolls it back and runs each again alone: the failure alone is lost', async () => {
    // All four must share one transaction: a window wider than the default 5 ms, which a begin on a loaded
    // machine outlasted once (the first then ran alone). What this test is about is the failure.
    const run = locks({ maxGroupMs: 1_000 });
    const runs = new Map<string, number>();
    const outcomes = await staggered(['a', 'b', 'c', 'd'], (name, _i, started) =>
      run.run([`user:${name}`], async (trx) => {
        started();
        runs.set(name, (runs.get(name) ?? 0) + 1);
        await write(trx, name);
        await sleep(20);
        if (name === 'c') throw new Error('c fails after writing');
        return txid(trx);
      }),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toMatchObject({ message: 'c fails after writing' });
    expect(await written()).toEqual(['a', 'b', 'd']);
    // Those that joined the failed transaction ran again, each in one of its own.
    expect([...runs.values()]).toEqual([2, 2, 2, 2]);
    const ids = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    expect(new Set(ids).size).toBe(3);
  });

  it('sends work whose subject another transaction holds to a transaction of its own, which waits; the one it tried to join does not', async () => {
    await whileHeld('ip:198.51.100.1', async (release) => {
      const run = locks();
      const order: string[] = [];
      const first = run.run(['user:a'], async (trx) => {
        await sleep(50);
        order.push('a done');
        return txid(trx);
      });
      await sleep(10);
      // Joins a's transaction (no subject in common), finds its IP taken, and goes its own way.
      const second = run.run(['user:b', 'ip:198.51.100.1'], async (trx) => {
        order.push('b runs');
        return txid(trx);
      });
      const a = await first;
      order.push('a answered');
      await sleep(50);
      await release();
      const b = await second;
      expect(order).toEqual(['a done', 'a answered', 'b runs']);
      expect(b).not.toBe(a);
    });
  });

  it('never lets work join a transaction still waiting for its locks: work on other subjects goes on', async () => {
    await whileHeld('ip:198.51.100.1', async (release) => {
      const run = locks();
      let waitingDone = false;
      const waiting = run.run(['user:a', 'ip:198.51.100.1'], async () => {
        waitingDone = true;
      });
      await sleep(20);
      await run.run(['user:b'], async (trx) => write(trx, 'b'));
      expect(await written()).toEqual(['b']);
      expect(waitingDone).toBe(false);
      await release();
      await waiting;
      expect(waitingDone).toBe(true);
    });
  });

  it('opens a transaction to share while another waits for its locks: work arriving together runs in it, at once', async () => {
    await whileHeld('ip:198.51.100.1', async (release) => {
      const run = locks();
      const waiting = run.run(['user:a', 'ip:198.51.100.1'], (trx) => txid(trx));
      await sleep(20);
      // Started together: the first opens a transaction with a plain begin, which the others join before
      // it is even answered; each tries its own locks there.
      const ids = await Promise.all(
        ['b', 'c', 'd'].map((name) =>
          run.run([`user:${name}`], async (trx) => {
            await write(trx, name);
            return txid(trx);
          }),
        ),
      );
      expect(new Set(ids).size).toBe(1);
      expect(await written()).toEqual(['b', 'c', 'd']);
      await release();
      expect(ids).not.toContain(await waiting);
    });
  });

  it('sends the first of a shared transaction whose subject is held elsewhere to a transaction of its own; the others go on', async () => {
    await whileHeld('user:held', async (release) => {
      const run = locks();
      const { open } = await keptOpen(run, 30);
      let heldDone = false;
      const held = run.run(['user:held'], async (trx) => {
        heldDone = true;
        return txid(trx);
      });
      const other = await run.run(['user:b'], (trx) => txid(trx));
      expect(heldDone).toBe(false);
      await open;
      await release();
      expect([other, await open]).not.toContain(await held);
      expect(heldDone).toBe(true);
    });
  });

  it('tries the locks of work entering together in one go, and sends only the one whose subject is held elsewhere its own way', async () => {
    await whileHeld('ip:198.51.100.9', async (release) => {
      const run = locks();
      const { open } = await keptOpen(run, 40);
      // Entering together, with one, two and three subjects: the held IP is the middle one's second.
      const entering = [['user:b'], ['user:held', 'ip:198.51.100.9'], ['user:c', 'ip:203.0.113.3', 'fingerprint:f']].map((subjects) =>
        run.run(subjects, (trx) => txid(trx)).then((id) => ({ id, at: Date.now() })),
      );
      const [b, c] = await Promise.all([entering[0]!, entering[2]!]);
      expect(b.id).toBe(c.id);
      await open;
      const releasedAt = Date.now();
      await release();
      const held = await entering[1]!;
      expect(held.id).not.toBe(b.id);
      expect(held.at).toBeGreaterThanOrEqual(releasedAt);
    });
  });

  it('gives every piece of work a transaction of its own when a group holds one', async () => {
    const run = subjectLocks(db, (trx) => trx, { transactions: 1, maxGroup: 1 });
    const outcomes = await staggered(['a', 'b', 'c'], (name, _i, started) =>
      run.run([`user:${name}`], async (trx) => {
        started();
        await sleep(20);
        return txid(trx);
      }),
    );
    const ids = outcomes.map((o) => (o as PromiseFulfilledResult<string>).value);
    expect(new Set(ids).size).toBe(3);
  });

  it('rejects everything in a transaction whose commit fails: nothing uncommitted is answered', async () => {
    // Checked only at commit: two rows of one value, written by work on different subjects.
    await sql`create table checked (n int unique deferrable initially deferred)`.execute(db);
    // Both must share one transaction, however long the first's begin takes (see the first test).
    const run = locks({ maxGroupMs: 1_000 });
    const outcomes = await staggered(['0', '1'], (name, _i, started) =>
      run.run([`user:${name}`], async (trx) => {
        started();
        await sql`insert into checked (n) values (1)`.execute(trx);
        await sleep(20);
        return name;
      }),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect((await sql`select n from checked`.execute(db)).rows).toEqual([]);
  });
  it('plans prepared statements once for the whole of an evaluation transaction, shared or not, and only there', async () => {
    const run = locks();
    const mode = async (trx: Kysely<Database>) => (await sql<{ mode: string }>`select current_setting('plan_cache_mode') as mode`.execute(trx)).rows[0]!.mode;
    const { open } = await keptOpen(run, 60);
    const shared = run.run(['user:b'], (trx) => mode(trx));
    expect(await Promise.all([shared, run.run(['user:c'], (trx) => mode(trx))])).toEqual(['force_generic_plan', 'force_generic_plan']);
    await open;
    expect(await run.run(['user:d'], (trx) => mode(trx))).toBe('force_generic_plan');
    // The setting ends with the transaction: the pooled connection goes back as it was.
    const pooled = await Promise.all(Array.from({ length: 8 }, () => mode(db)));
    expect(new Set(pooled)).toEqual(new Set(['auto']));
  });
});
