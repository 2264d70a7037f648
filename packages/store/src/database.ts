import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import { migrationProvider } from './migrations/index.js';
import { MIGRATION_LOCK } from './migrations/lock.js';
import type { Database } from './schema.js';
import { type Checkpointer, DEFAULT_WAL_BYTES, fallbackCheckpointPages, startCheckpointer } from './sqlite-checkpointer.js';
import { withStatementCache } from './sqlite-statement-cache.js';
import { type WalIndexWatch, walIndexWatch } from './wal-index-watch.js';
import { runNamedStatementsPrepared } from './hot/prepared-names.js';

export type DatabaseOptions =
  /**
   * `file` is a path, or `:memory:` for a private in-memory database (tests). `walBytes`: how large the
   * write-ahead log grows under steady writes before it starts over (256 MB; sqlite-checkpointer.ts).
   */
  | { dialect: 'sqlite'; file: string; walBytes?: number }
  /**
   * `schema` puts every table in that PostgreSQL schema (created when missing): one per tenant in tests.
   * `groupSize`: most evaluations sharing one transaction (8; 1: each in its own, subject-locks.ts).
   */
  | { dialect: 'postgres'; url: string; schema?: string; poolSize?: number; groupSize?: number };

export type Dialect = DatabaseOptions['dialect'];

const INT8_OID = 20;

/** PostgreSQL connections per node unless told (VIGIL_DATABASE_POOL_SIZE). */
const DEFAULT_POOL_SIZE = 10;

/**
 * The better-sqlite3 connection under a SQLite store's Kysely (the group commit runs hot statements on
 * it), what must run on it between two of its transactions (`betweenTransactions`), and what is left
 * to wait for once Kysely closed it (`closed`: the checkpointer's own connection, which Kysely's
 * synchronous close cannot wait for).
 */
export interface SqliteConnection {
  connection: SQLite.Database;
  betweenTransactions(): void;
  closed(): Promise<void>;
  /** Commits to the file, seen without a read transaction (none for an in-memory database). */
  walIndex: WalIndexWatch | null;
}
export const sqliteConnectionOf: WeakMap<Kysely<Database>, SqliteConnection> = new WeakMap();

function openSqlite(file: string, walBytes: number): Kysely<Database> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // WAL lets the CLI write (a new project, a rotated key) while a server reads and writes the same file;
  // NORMAL is durable across a process crash in WAL mode; busy_timeout waits out the other writer.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  let checkpointer: Checkpointer | null = null;
  // The worker copied the log: the little committed since is copied here, outside any transaction, so
  // that the next commit starts the log over (sqlite-checkpointer.ts says why).
  let copied = false;
  const betweenTransactions = () => {
    if (!copied || !sqlite.open || sqlite.inTransaction) return;
    copied = false;
    try {
      sqlite.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Never an evaluation's failure: the next round, or the connection's own threshold, copies it.
    }
  };
  if (file !== ':memory:') {
    const pageSize = sqlite.pragma('page_size', { simple: true }) as number;
    const restartFrames = Math.max(1, Math.floor(walBytes / pageSize));
    sqlite.pragma(`wal_autocheckpoint = ${fallbackCheckpointPages(restartFrames)}`);
    checkpointer = startCheckpointer(file, {
      restartFrames,
      // Should the worker fail, the connection checkpoints as SQLite does by default.
      onFailure: () => sqlite.open && sqlite.pragma('wal_autocheckpoint = 1000'),
      onCopied: () => {
        copied = true;
        // At once when nothing runs; otherwise the group commit calls it before its next transaction.
        betweenTransactions();
      },
    });
  }
  const statements = withStatementCache(sqlite);
  const walIndex = file === ':memory:' ? null : walIndexWatch(file);
  let stopped: Promise<void> = Promise.resolve();
  const database: SqliteDatabase = {
    prepare: (sql) => statements.prepare(sql),
    close() {
      statements.close();
      walIndex?.close();
      if (checkpointer) stopped = checkpointer.stop();
    },
  };
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  sqliteConnectionOf.set(db, { connection: sqlite, betweenTransactions, closed: () => stopped, walIndex });
  return db;
}

function openPostgres(url: string, schema: string | undefined, poolSize: number): Kysely<Database> {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`invalid PostgreSQL schema name ${JSON.stringify(schema)}`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // Fail fast rather than hang when the database is gone or every connection is busy: the request
    // answers 503 UNAVAILABLE and the client retries, instead of piling up behind a dead server.
    connectionTimeoutMillis: 3_000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
    // Times are bigint; pg reads int8 as a string to protect values past 2^53, which ms timestamps and
    // counts never reach, so read them as numbers like SQLite does.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection the server closed (a restart, a failover) is an 'error' on the pool; unheard, it
  // would end the process. The pool drops that connection and opens a new one when next needed.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    // The pool listens for errors only on connections it holds idle. One lent out (an evaluation's
    // transaction between two statements, a heartbeat mid-query) whose server went away emits 'error'
    // with nobody listening, which ended the process: the node died with the database instead of
    // answering 503 until it came back. The statement waiting on it fails anyway, and the pool drops a
    // connection that failed when it comes back.
    client.on('error', () => undefined);
    runNamedStatementsPrepared(client);
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * Runs `work` while holding a PostgreSQL session advisory lock on a connection of its own: several nodes
 * starting at once (a rolling deploy, a cluster's first start) create the schema and migrate one at a
 * time, and the others then find nothing left to do. Kysely's own migration lock is taken only after it
 * has created its tables, which two processes can race on.
 */
async function withMigrationLock<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    return await work(client);
  } finally {
    // Ending the session releases the lock, even should the unlock itself fail.
    await client.end().catch(() => undefined);
  }
}

export async function openDatabase(options: DatabaseOptions): Promise<Kysely<Database>> {
  if (options.dialect === 'sqlite') return openSqlite(options.file, options.walBytes ?? DEFAULT_WAL_BYTES);
  const schema = options.schema;
  if (schema) {
    // A separate short-lived connection: the pool's connections would fail on a missing search_path schema.
    await withMigrationLock(options.url, (client) => client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`));
  }
  return openPostgres(options.url, options.schema, options.poolSize ?? DEFAULT_POOL_SIZE);
}

/**
 * Brings the schema up to date. Safe to run from several processes at once: on PostgreSQL under an
 * advisory lock (withMigrationLock), on SQLite under Kysely's migration lock (one writer at a time).
 */
export async function migrateToLatest(db: Kysely<Database>, options: DatabaseOptions): Promise<string[]> {
  // The migrator finds its own tables by schema name, not through search_path: name the schema for it.
  const schema = options.dialect === 'postgres' ? options.schema : undefined;
  const migrator = new Migrator({ db, provider: migrationProvider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const migrate = async () => {
    const { error, results } = await migrator.migrateToLatest();
    if (error) throw error instanceof Error ? error : new Error(String(error));
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  };
  return options.dialect === 'postgres' ? withMigrationLock(options.url, migrate) : migrate();
}
