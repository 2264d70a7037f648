import { MIGRATION_LOCK } from '../migrations/lock.js';
import { type Kysely, PostgresAdapter, sql } from 'kysely';

/** How many months ahead of the current one always have their partition (created hourly, at start). */
export const MONTHS_AHEAD = 2;

/** The first millisecond of the UTC month `offset` months after the one `at` falls in. */
export function monthStart(at: number, offset = 0): number {
  const d = new Date(at);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1);
}

/** A partition of `evaluations` and the times it holds: [from, to); null for MINVALUE or the default partition. */
export interface Partition {
  name: string;
  from: number | null;
  to: number | null;
  isDefault: boolean;
}

export async function evaluationPartitions(db: Kysely<any>): Promise<Partition[]> {
  const { rows } = await sql<{ name: string; bound: string }>`
    select c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound
    from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'evaluations'::regclass`.execute(db);
  return rows.map(({ name, bound }) => {
    if (bound === 'DEFAULT') return { name, from: null, to: null, isDefault: true };
    const match = /FROM \((MINVALUE|'?(-?\d+)'?)\) TO \((MAXVALUE|'?(-?\d+)'?)\)/.exec(bound);
    return { name, from: match?.[2] === undefined ? null : Number(match[2]), to: match?.[4] === undefined ? null : Number(match[4]), isDefault: false };
  });
}

const partitionName = (from: number) => {
  const d = new Date(from);
  return `evaluations_y${d.getUTCFullYear()}m${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};

/**
 * Makes sure the current month and the next MONTHS_AHEAD have a partition, so that an evaluation never
 * lands in the default one. A month some partition already covers (the table from before partitioning
 * covers everything up to the month after the migration) is left alone. Nodes may run this at once: a
 * partition another node has just made is not an error.
 */
export async function ensureMonthlyPartitions(db: Kysely<any>, now: number): Promise<string[]> {
  const made: string[] = [];
  const existing = await evaluationPartitions(db);
  for (let offset = 0; offset <= MONTHS_AHEAD; offset++) {
    const from = monthStart(now, offset);
    const to = monthStart(now, offset + 1);
    const covered = existing.some((p) => !p.isDefault && (p.from === null || p.from < to) && (p.to === null || p.to > from));
    if (covered) continue;
    try {
      await sql`create table if not exists ${sql.id(partitionName(from))} partition of evaluations for values from (${sql.lit(from)}) to (${sql.lit(to)})`.execute(db);
      made.push(partitionName(from));
    } catch (error) {
      // Made by another node meanwhile (or its month already has rows in the default partition: they
      // stay there, still read and still purged by row).
      if (!(await evaluationPartitions(db)).some((p) => p.from === from)) throw error;
    }
  }
  return made;
}

/**
 * Drops the month partitions whose every evaluation is older than `before` (the longest retention of
 * any project): a whole month goes at once, with its indexes, where deleting row by row would write
 * every row's removal and leave the table to vacuum. Rows past a shorter retention are still deleted
 * by row (retention.purge); by the time a month is dropped, that is whatever the longest kept.
 */
export async function dropPartitionsBefore(db: Kysely<any>, before: number): Promise<string[]> {
  const dropped: string[] = [];
  for (const p of await evaluationPartitions(db)) {
    if (p.isDefault || p.to === null || p.to > before) continue;
    // Under the migrations' lock (migrations/lock.ts): a node starting meanwhile would fail its migration.
    await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${sql.lit(MIGRATION_LOCK)})`.execute(trx);
      await sql`drop table if exists ${sql.id(p.name)}`.execute(trx);
    });
    dropped.push(p.name);
  }
  return dropped;
}

/** Whether evaluations are partitioned here (PostgreSQL; SQLite has no partitions). */
export const partitioned = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter;
