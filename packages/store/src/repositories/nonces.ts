import { randomBytes } from 'node:crypto';
import type { NonceStatus } from '@vigil/core';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export function nonceRepository(db: Kysely<Database>) {
  return {
    async issue(input: { projectId: string; deviceCookieId: string; now: number; ttlMs: number }): Promise<string> {
      const nonce = randomBytes(24).toString('base64url');
      await db
        .insertInto('nonces')
        .values({
          nonce,
          project_id: input.projectId,
          device_cookie_id: input.deviceCookieId,
          created_at: input.now,
          expires_at: input.now + input.ttlMs,
          used_at: null,
        })
        .execute();
      return nonce;
    },

    /**
     * Spends a nonce, once. Whatever the outcome the nonce is used up afterwards: one presented from
     * another device has leaked, and must not be good for the device it was issued to either.
     */
    async redeem(input: { projectId: string; nonce: string; deviceCookieId: string | null; now: number }): Promise<NonceStatus> {
      const row = await db.selectFrom('nonces').selectAll().where('nonce', '=', input.nonce).where('project_id', '=', input.projectId).executeTakeFirst();
      if (!row) return 'unknown';
      if (row.used_at !== null) return 'consumed';
      // The conditional update is what makes "once" hold when two requests race with the same nonce.
      const spent = await db.updateTable('nonces').set({ used_at: input.now }).where('nonce', '=', input.nonce).where('used_at', 'is', null).executeTakeFirst();
      if (Number(spent.numUpdatedRows) === 0) return 'consumed';
      if (row.expires_at <= input.now) return 'expired';
      if (row.device_cookie_id !== input.deviceCookieId) return 'mismatch';
      return 'valid';
    },

    /** Forgets nonces that expired before `before`; they can only ever answer `unknown` after that. */
    async prune(before: number): Promise<number> {
      const result = await db.deleteFrom('nonces').where('expires_at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type NonceRepository = ReturnType<typeof nonceRepository>;
