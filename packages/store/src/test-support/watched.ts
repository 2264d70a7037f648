import type { CompiledQuery, Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** `db`, with the SQL of every statement run on it kept in `statements`: to count round trips. */
export function watched(db: Kysely<Database>, statements: string[]): Kysely<Database> {
  return new Proxy(db, {
    get(target, key) {
      if (key === 'executeQuery') {
        // The store runs compiled statements only (hot/compiled.ts).
        return (query: CompiledQuery) => {
          statements.push(query.sql);
          return target.executeQuery(query);
        };
      }
      // Kysely's methods use private fields: bound to the instance itself, not to this proxy.
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
