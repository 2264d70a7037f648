import type SQLite from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/**
 * better-sqlite3 behind Kysely with prepared statements reused by SQL text. Kysely prepares every query
 * afresh, which was a fifth of an evaluation's CPU time; the hot path runs the same dozen statements over
 * and over. Safe because Kysely runs one query at a time on its single SQLite connection, and a statement
 * is finished (all rows read) before the next one runs. Bounded, so ad-hoc SQL cannot grow it forever.
 */
export function withStatementCache(db: SQLite.Database, maxStatements = 500): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (stmt === undefined) {
        stmt = db.prepare(sql);
        if (cache.size >= maxStatements) cache.delete(cache.keys().next().value as string);
        cache.set(sql, stmt);
      }
      return stmt;
    },
    close() {
      cache.clear();
      db.close();
    },
  };
}
