import { type Expression, type Kysely, PostgresAdapter, type SelectQueryBuilder, type Simplify, sql } from 'kysely';
import type { Database } from '../../schema.js';

// The history's one statement on PostgreSQL reads a dozen subqueries for every evaluation, and each
// aggregate among them (`count(*)`, `json_agg`) is an Agg node that PostgreSQL sets up again at every
// execution of the statement, prepared or not: 7 % of the database's CPU went to setting them up
// (ExecInitAgg, in a profile under the cluster bench's load). An ARRAY subquery collects the same rows
// with no Agg node, so on PostgreSQL a count is the array's length and a list of rows an array of JSON
// rows: three counts so ran 10 % more often a second (pgbench, prepared). SQLite sets nothing up per
// execution, and keeps its aggregates.

const onPostgres = (db: Kysely<Database>) => db.getExecutor().adapter instanceof PostgresAdapter;

/** How many rows `rows` selects, as a scalar expression. */
// biome-ignore lint/suspicious/noExplicitAny: any table's rows: only their number is read.
export function rowCount(db: Kysely<Database>, rows: SelectQueryBuilder<any, any, object>): Expression<number> {
  return onPostgres(db) ? sql<number>`cardinality(array(${rows.select(sql.lit(1).as('one'))}))` : sql<number>`${rows.select((eb) => eb.fn.countAll<number>().as('n'))}`;
}

/** The rows `rows` selects as an array of objects (PostgreSQL only: the history reads them only there). */
export function jsonRowsOf<O>(rows: SelectQueryBuilder<Database, keyof Database, O>): Expression<Simplify<O>[]> {
  return sql<Simplify<O>[]>`array(select to_json(r) from (${rows}) as r)`;
}
