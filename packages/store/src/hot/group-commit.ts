import { performance } from 'node:perf_hooks';
import type SQLite from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.js';

export type Work<S, T> = (scope: S) => Promise<T>;

interface Queued<S> {
  work: Work<S, unknown>;
  resolve(value: unknown): void;
  reject(reason: unknown): void;
}

export interface GroupCommitOptions {
  /** Most pieces of work in one transaction. */
  maxBatch?: number;
  /**
   * No new piece of work joins a group that has run this long (ms): the group commits and answers, and
   * what waits goes into the next. A group runs on the event loop without a break, and every answer in
   * it waits for its commit, so a group's length is its first answer's wait: after a stall (a garbage
   * collection, a burst), 64 evaluations in one group held answers for 30 ms.
   */
  maxGroupMs?: number;
  /**
   * The better-sqlite3 connection under `db`: the transaction's own statements (begin, savepoints,
   * commit: five per evaluation) then run on it straight, prepared once, instead of through Kysely.
   */
  connection?: SQLite.Database;
  /** Runs before each group's transaction begins, on the connection the group will hold. */
  betweenGroups?: () => void;
}

type Control = 'begin immediate' | 'savepoint evaluation' | 'release savepoint evaluation' | 'rollback to savepoint evaluation' | 'commit' | 'rollback';

/** Runs the transaction's own statements: on the connection straight when there is one, else through Kysely. */
function controlOf(connection: SQLite.Database | undefined): (trx: Kysely<Database>, statement: Control) => Promise<void> {
  if (connection === undefined) {
    return async (trx, statement) => {
      await sql.raw(statement).execute(trx);
    };
  }
  const prepared = new Map<Control, SQLite.Statement>();
  return async (_trx, statement) => {
    let compiled = prepared.get(statement);
    if (compiled === undefined) {
      compiled = connection.prepare(statement);
      prepared.set(statement, compiled);
    }
    compiled.run();
  };
}

/**
 * SQLite's evaluations, one at a time and committed in groups. SQLite has one writer and better-sqlite3
 * runs on the event loop, so running evaluations one after another costs no throughput, and it is what
 * makes history exact: each evaluation reads what every earlier one wrote. What arrives while a
 * transaction runs waits for the next one, which then carries all of it: one commit (a WAL append,
 * about half of an evaluation's database time when each had its own) for many evaluations. Each piece
 * of work has a savepoint, so one failure rolls back alone; each promise settles only after the commit,
 * so an answer given is an evaluation kept.
 */
export function groupCommit<S>(db: Kysely<Database>, scopeOf: (trx: Kysely<Database>) => S, options: GroupCommitOptions = {}) {
  const maxBatch = options.maxBatch ?? 64;
  const maxGroupMs = options.maxGroupMs ?? 3;
  const control = controlOf(options.connection);
  const queue: Queued<S>[] = [];
  let running = false;

  /** Runs what waits, from the front of the queue, as one transaction, until the batch or the time is used up. */
  async function runBatch() {
    const settled: (() => void)[] = [];
    // The first piece is the batch's before anything can fail, so that a failed begin rejects it.
    const batch: Queued<S>[] = [queue.shift()!];
    try {
      // One connection for the group, and a transaction begun IMMEDIATE: the write lock is taken before
      // the first read, so another process writing the same file (the CLI beside a running server)
      // is waited out (busy_timeout) rather than failing the group when a read had to become a write.
      await db.connection().execute(async (trx) => {
        options.betweenGroups?.();
        await control(trx, 'begin immediate');
        try {
          const scope = scopeOf(trx);
          const started = performance.now();
          for (let i = 0; i < batch.length; i++) {
            const item = batch[i]!;
            await control(trx, 'savepoint evaluation');
            try {
              const value = await item.work(scope);
              await control(trx, 'release savepoint evaluation');
              settled.push(() => item.resolve(value));
            } catch (err) {
              await control(trx, 'rollback to savepoint evaluation');
              await control(trx, 'release savepoint evaluation');
              settled.push(() => item.reject(err));
            }
            // The next piece joins while the group is young and not full.
            if (i === batch.length - 1 && queue.length > 0 && batch.length < maxBatch && performance.now() - started < maxGroupMs) batch.push(queue.shift()!);
          }
          await control(trx, 'commit');
        } catch (err) {
          await control(trx, 'rollback').catch(() => undefined);
          throw err;
        }
      });
    } catch (err) {
      // The commit failed: nothing of the batch was kept, so nothing of it may be acknowledged.
      for (const item of batch) item.reject(err);
      return;
    }
    for (const settle of settled) settle();
  }

  async function drain() {
    running = true;
    try {
      while (queue.length > 0) await runBatch();
    } finally {
      running = false;
    }
  }

  return {
    run<T>(work: Work<S, T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work: work as Work<S, unknown>, resolve: resolve as (value: unknown) => void, reject });
        // Started on the next turn, so that what arrives in this one joins the same transaction.
        if (!running && queue.length === 1) setImmediate(() => void drain());
      });
    },
  };
}
