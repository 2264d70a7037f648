import { type Expression, type SqlBool, sql } from 'kysely';

/**
 * The rows after a page's last row, newest first: `(at, id)` strictly below the cursor's. Keyset
 * pagination, so page 1,000 costs what page 1 does (the lists' indexes end with the time column).
 * `timeColumn` and `idColumn` are column references of the query's table (qualified where joined).
 */
export function before(timeColumn: string, idColumn: string, cursor: { at: number; id: string }): Expression<SqlBool> {
  const time = sql.ref(timeColumn);
  return sql<SqlBool>`(${time} < ${cursor.at} or (${time} = ${cursor.at} and ${sql.ref(idColumn)} < ${cursor.id}))`;
}
