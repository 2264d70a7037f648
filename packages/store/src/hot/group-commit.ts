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
   * The better-sqlite3 connection under `db`: the transaction's own statements (begin, commit) then
   * run on it straight, prepared once, instead of through Kysely.
   */
  connection?: SQLite.Database;
  /** Runs before each group's transaction begins, on the connection the group will hold. */
  betweenGroups?: () => void;
}

type Control = 'begin immediate' | 'commit' | 'rollback';

/** What a transaction gave: each piece's value, or the error of the piece that failed (the transaction then rolled back). */
type Outcome = { values: unknown[] } | { error: unknown };

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
 * about half of an evaluation's database time when each had its own) for many evaluations. Each promise
 * settles only after the commit, so an answer given is an evaluation kept.
 *
 * A piece of work that fails rolls the group back, and then every piece of it runs again in a
 * transaction of its own (as PostgreSQL's groups do: hot/subject-locks.ts), so one failure still rolls
 * back alone. Pieces had a savepoint each instead: SQLite then keeps the original of every page a piece
 * changes in a statement journal for the whole transaction (a temporary file past 64 kB), which cost a
 * new user's evaluation 18 % of its CPU (docs/architecture.md), against failures that are rare.
 */
export function groupCommit<S>(db: Kysely<Database>, scopeOf: (trx: Kysely<Database>) => S, options: GroupCommitOptions = {}) {
  const maxBatch = options.maxBatch ?? 64;
  const maxGroupMs = options.maxGroupMs ?? 3;
  const control = controlOf(options.connection);
  const queue: Queued<S>[] = [];
  let running = false;

  /**
   * Runs `batch` in one transaction: `grow` lets what waits join while the group is young and not full.
   * A piece that throws rolls the transaction back at once (the others' writes with it), and its error
   * is the outcome; a failed begin or commit throws.
   */
  async function inOneTransaction(batch: Queued<S>[], grow: boolean): Promise<Outcome> {
    // One connection for the group, and a transaction begun IMMEDIATE: the write lock is taken before
    // the first read, so another process writing the same file (the CLI beside a running server) is
    // waited out (busy_timeout) rather than failing the group when a read had to become a write.
    return db.connection().execute(async (trx) => {
      options.betweenGroups?.();
      await control(trx, 'begin immediate');
      try {
        const scope = scopeOf(trx);
        const started = performance.now();
        const values: unknown[] = [];
        for (let i = 0; i < batch.length; i++) {
          try {
            values.push(await batch[i]!.work(scope));
          } catch (error) {
            // SQLite may have rolled back already (a full disk, a busy lock): then there is nothing to undo.
            await control(trx, 'rollback').catch(() => undefined);
            return { error };
          }
          // The next piece joins while the group is young and not full.
          if (grow && i === batch.length - 1 && queue.length > 0 && batch.length < maxBatch && performance.now() - started < maxGroupMs) batch.push(queue.shift()!);
        }
        await control(trx, 'commit');
        return { values };
      } catch (err) {
        await control(trx, 'rollback').catch(() => undefined);
        throw err;
      }
    });
  }

  /** Runs what waits, from the front of the queue, as one transaction, until the batch or the time is used up. */
  async function runBatch() {
    // The first piece is the batch's before anything can fail, so that a failed begin rejects it.
    const batch: Queued<S>[] = [queue.shift()!];
    let outcome: Outcome;
    try {
      outcome = await inOneTransaction(batch, true);
    } catch (err) {
      // The begin or the commit failed: nothing of the batch was kept, so nothing of it may be acknowledged.
      for (const item of batch) item.reject(err);
      return;
    }
    if ('values' in outcome) {
      for (const [i, item] of batch.entries()) item.resolve(outcome.values[i]);
      return;
    }
    if (batch.length === 1) {
      batch[0]!.reject(outcome.error);
      return;
    }
    // A piece failed and took the group's transaction with it: each piece runs again in a transaction of
    // its own, so that a failure rolls back alone and every promise settles with its own outcome.
    for (const item of batch) {
      try {
        const alone = await inOneTransaction([item], false);
        if ('values' in alone) item.resolve(alone.values[0]);
        else item.reject(alone.error);
      } catch (err) {
        item.reject(err);
      }
    }
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
