import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.js';

export type Work<S, T> = (scope: S) => Promise<T>;

interface Queued<S> {
  work: Work<S, unknown>;
  resolve(value: unknown): void;
  reject(reason: unknown): void;
}

export interface GroupCommitOptions {
  /** Most pieces of work in one transaction: a bound on how long the first one waits for its answer. */
  maxBatch?: number;
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
  let queue: Queued<S>[] = [];
  let running = false;

  async function runBatch(batch: Queued<S>[]) {
    const settled: (() => void)[] = [];
    try {
      // One connection for the group, and a transaction begun IMMEDIATE: the write lock is taken before
      // the first read, so another process writing the same file (the CLI beside a running server)
      // is waited out (busy_timeout) rather than failing the group when a read had to become a write.
      await db.connection().execute(async (trx) => {
        await sql`begin immediate`.execute(trx);
        try {
          const scope = scopeOf(trx);
          for (const item of batch) {
            await sql`savepoint evaluation`.execute(trx);
            try {
              const value = await item.work(scope);
              await sql`release savepoint evaluation`.execute(trx);
              settled.push(() => item.resolve(value));
            } catch (err) {
              await sql`rollback to savepoint evaluation`.execute(trx);
              await sql`release savepoint evaluation`.execute(trx);
              settled.push(() => item.reject(err));
            }
          }
          await sql`commit`.execute(trx);
        } catch (err) {
          await sql`rollback`.execute(trx).catch(() => undefined);
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
      while (queue.length > 0) {
        const batch = queue.slice(0, maxBatch);
        queue = queue.slice(batch.length);
        await runBatch(batch);
      }
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
