import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/**
 * Signing keys of this installation: created on first use, the same for every node on the database.
 * A key never changes once created, so what was read is kept (`known`, shared by every repository the
 * store makes, the ones on a transaction included).
 */
export function instanceSecretRepository(db: Kysely<Database>, known = new Map<string, string>()) {
  return {
    async get(name: string, now: number): Promise<string> {
      const kept = known.get(name);
      if (kept !== undefined) return kept;
      // Two nodes racing to create it: the unique name keeps the first, and both read that one back.
      await db
        .insertInto('instance_secrets')
        .values({ name, value: randomBytes(32).toString('base64url'), created_at: now })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      const row = await db.selectFrom('instance_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
      known.set(name, row.value);
      return row.value;
    },
  };
}
