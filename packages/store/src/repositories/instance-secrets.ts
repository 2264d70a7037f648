import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/**
 * Signing keys of this installation: created on first use, the same for every node on the database.
 * A key never changes once created, so what was read is kept (`known`, shared by every repository the
 * store makes). A repository on a transaction (`keeps: false`, an evaluation's scope) reads what is kept
 * but keeps nothing itself: a key it created, or read from a row another piece of the same transaction
 * created, exists only if that transaction commits, and one kept from a transaction that rolled back
 * would sign challenge links that no node could check once it restarted.
 */
export function instanceSecretRepository(db: Kysely<Database>, known = new Map<string, string>(), options: { keeps?: boolean } = {}) {
  const keeps = options.keeps ?? true;
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
      if (keeps) known.set(name, row.value);
      return row.value;
    },
  };
}
