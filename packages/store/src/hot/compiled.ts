import type SQLite from 'better-sqlite3';
import { type CompiledQuery, type Compilable, type Kysely, PostgresAdapter, type QueryResult } from 'kysely';
import { prepareOnPostgres } from './prepared-names.js';
import type { Database } from '../schema.js';

/**
 * Transactions that hold SQLite's one connection for good (the group commit's): on them a hot statement
 * runs on better-sqlite3 straight, synchronously, past Kysely's connection provider and its promises
 * (a fifth of a warm evaluation's CPU went to that bookkeeping, for a dozen statements). Only there:
 * anywhere else, another transaction may hold the connection between two of its own statements.
 */
const direct = new WeakMap<Kysely<Database>, SQLite.Database>();

/** Marks `trx` as holding `connection` to itself until it ends (hot/group-commit.ts). */
export function runDirectlyOn(trx: Kysely<Database>, connection: SQLite.Database): void {
  direct.set(trx, connection);
}

/**
 * A hot statement, built with Kysely once and run many times. Building a query (freezing its nodes,
 * visiting them to SQL) cost about a third of an evaluation's CPU when it ran per request; compiled
 * once, a run is only the driver's work. Parameters are marked by placeholders while building and
 * filled by name at each run, so the typed query builder stays the one way queries are written.
 */
const PLACEHOLDER = Symbol('vigil.placeholder');

interface Placeholder {
  readonly [PLACEHOLDER]: string;
}

const isPlaceholder = (value: unknown): value is Placeholder => typeof value === 'object' && value !== null && PLACEHOLDER in value;

/** Placeholders for a statement's parameters: `p.userId` stands for the `userId` given at each run. */
export type Params<P> = { readonly [K in keyof P]: P[K] };

function placeholders<P>(): Params<P> {
  return new Proxy({} as Params<P>, { get: (_, name) => ({ [PLACEHOLDER]: String(name) }) as unknown });
}

export interface HotStatement<P, R> {
  /** Runs the statement on `db` (the store or a transaction of it): rows, and for writes the counts. */
  run(db: Kysely<Database>, params: P): Promise<QueryResult<R>>;
  rows(db: Kysely<Database>, params: P): Promise<R[]>;
  first(db: Kysely<Database>, params: P): Promise<R | undefined>;
}

/**
 * `build(p)` is called once per dialect, on first use, with placeholders for `P`; the SQL it compiles
 * to is kept beside the dialect's adapter (a process may hold a SQLite and a PostgreSQL store: tests do).
 */
export function hot<P extends object, R>(build: (db: Kysely<Database>, p: Params<P>) => Compilable<R>): HotStatement<P, R> {
  const byAdapter = new WeakMap<object, { query: CompiledQuery<R>; parametersOf: ParametersOf }>();
  const prepared = new WeakMap<SQLite.Database, Prepared>();
  function compiledFor(db: Kysely<Database>) {
    const adapter = db.getExecutor().adapter;
    let compiled = byAdapter.get(adapter);
    if (compiled === undefined) {
      const query = build(db, placeholders<P>()).compile();
      const names = query.parameters.map((v) => (isPlaceholder(v) ? v[PLACEHOLDER] : null));
      compiled = { query, parametersOf: parametersFunction(names, [...query.parameters]) };
      byAdapter.set(adapter, compiled);
      if (adapter instanceof PostgresAdapter) prepareOnPostgres(query.sql);
    }
    return compiled;
  }
  async function run(db: Kysely<Database>, params: P): Promise<QueryResult<R>> {
    const { query, parametersOf } = compiledFor(db);
    const parameters = parametersOf(params as Record<string, unknown>);
    const connection = direct.get(db);
    if (connection === undefined) return db.executeQuery<R>({ ...query, parameters });
    let statement = prepared.get(connection);
    if (statement === undefined) {
      statement = preparedOn(connection, query.sql);
      prepared.set(connection, statement);
    }
    // As Kysely's SQLite driver does it: rows for a statement that returns them, else the count.
    if (statement.rowsOf !== null) return { rows: statement.rowsOf(statement.statement.all(parameters) as unknown[][]) as R[] };
    const { changes } = statement.statement.run(parameters);
    return { rows: [], numAffectedRows: BigInt(changes) };
  }
  return {
    run,
    rows: async (db, params) => (await run(db, params)).rows,
    first: async (db, params) => (await run(db, params)).rows[0],
  };
}

type ParametersOf = (params: Record<string, unknown>) => unknown[];

/** A hot statement prepared on a connection; a statement that returns rows, with its row builder. */
interface Prepared {
  statement: SQLite.Statement;
  rowsOf: ((rows: unknown[][]) => Record<string, unknown>[]) | null;
}

/**
 * Rows come from better-sqlite3 as arrays of values (`raw`) and are made objects by a function generated
 * once per statement (`{ "id": v[0], "email": v[1], … }`). better-sqlite3's own objects cost more: each
 * column's name is made a JavaScript string and looked up again for every row, and each property moves
 * the object to a new shape; for a row of 22 columns 5.0 µs, against 2.4 µs for the array and the
 * generated literal.
 */
function preparedOn(connection: SQLite.Database, sql: string): Prepared {
  const statement = connection.prepare(sql);
  if (!statement.reader) return { statement, rowsOf: null };
  const names = statement.columns().map((column) => column.name);
  // A quoted `__proto__` in a literal sets the prototype instead of a property; no statement of ours names one.
  if (names.includes('__proto__')) throw new Error('hot statement: a column named __proto__');
  // Later columns of one name win, as in better-sqlite3's own objects (a literal's later key does the same).
  const rowOf = new Function('v', `return { ${names.map((name, i) => `${JSON.stringify(name)}: v[${i}]`).join(', ')} };`) as (values: unknown[]) => Record<string, unknown>;
  statement.raw(true);
  return { statement, rowsOf: (rows) => rows.map(rowOf) };
}

/** An identifier, or a path of them (`e.id`: the `id` of the object given as `e`). */
const PATH = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

/**
 * A statement's parameters from the values given at a run, in order: the placeholders' values by name,
 * the constants the query was built with as they were. Generated once per statement as plain property
 * reads (`[p.id, p.projectId, c[2], …]`): looked up by a name held in an array, each read saw every
 * statement's parameter shapes (a megamorphic lookup), 5 % of a warm evaluation's CPU. The names are
 * the code's own (a `Params` type's keys), and checked to be identifiers before they go into the source.
 * A dotted name reads into an object given whole (`p.e.id`): a statement of many columns takes its row
 * as it is, where copying it into one flat object of parameters cost more than running it.
 */
function parametersFunction(names: (string | null)[], constants: unknown[]): ParametersOf {
  for (const name of names) if (name !== null && !PATH.test(name)) throw new Error(`hot statement: parameter name ${JSON.stringify(name)} is not an identifier`);
  const checks = [...new Set(names.filter((n): n is string => n !== null))].map(
    (name) => `if (p.${name.replaceAll('.', '?.')} === undefined) throw new Error('hot statement: no value for parameter ${name}');`,
  );
  const values = names.map((name, i) => (name === null ? `c[${i}]` : `p.${name}`));
  const make = new Function('c', `return function parametersOf(p) { ${checks.join(' ')} return [${values.join(', ')}]; };`) as (c: unknown[]) => ParametersOf;
  return make(constants);
}

/**
 * Statements whose shape depends on what is present (an IP or none, a device or none): one compiled
 * statement per shape, named by `variant`. The number of shapes is fixed by the code, not by input.
 */
export function hotVariants<V extends string, P extends object, R>(build: (db: Kysely<Database>, p: Params<P>, variant: V) => Compilable<R>): (variant: V) => HotStatement<P, R> {
  const statements = new Map<V, HotStatement<P, R>>();
  return (variant) => {
    let statement = statements.get(variant);
    if (statement === undefined) {
      statement = hot<P, R>((db, p) => build(db, p, variant));
      statements.set(variant, statement);
    }
    return statement;
  };
}
