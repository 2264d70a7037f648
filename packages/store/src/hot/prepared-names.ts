import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * Hot statements on PostgreSQL run as named prepared statements: each connection parses and plans one
 * the first time it runs it, and afterwards only binds values. Unnamed, PostgreSQL parsed, analysed and
 * planned every one of an evaluation's ~19 statements every time: two thirds of its CPU per evaluation
 * went there, against a third executing them (bench/cluster.bench.ts). Only the hot statements' SQL is
 * named, a set fixed by the code (hot/compiled.ts), so what each connection keeps prepared is bounded.
 */
const names = new Map<string, string>();

/** Names `sql` so that every connection prepares it once. */
export function prepareOnPostgres(sql: string): void {
  if (!names.has(sql)) names.set(sql, `vigil_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`);
}

type Query = (text: unknown, values?: unknown, callback?: unknown) => unknown;

/**
 * Makes `client` run the named statements prepared: Kysely's driver calls `query(sql, parameters)`, and
 * a named one becomes `query({ name, text, values })`, which node-postgres prepares on first use per
 * connection. Everything else passes through unchanged.
 */
export function runNamedStatementsPrepared(client: pg.PoolClient): void {
  const query = client.query.bind(client) as Query;
  (client as unknown as { query: Query }).query = (text, values, callback) => {
    const name = typeof text === 'string' && callback === undefined ? names.get(text) : undefined;
    return name === undefined ? query(text, values, callback) : query({ name, text, values });
  };
}
