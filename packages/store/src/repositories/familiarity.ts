import { type FamiliarityProfile, parseProfile, settleLogin } from '@vigil/core';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** Each user's familiar set: what their trusted logins looked like (learning happens with each evaluation). */
export function familiarityRepository(db: Kysely<Database>) {
  return {
    /** The user's familiar set; null when the project has no such user or nothing was learned yet. */
    async of(projectId: string, externalId: string): Promise<FamiliarityProfile | null> {
      const row = await db.selectFrom('users').select('familiarity').where('project_id', '=', projectId).where('external_id', '=', externalId).executeTakeFirst();
      return parseProfile(row?.familiarity ?? null);
    },

    /**
     * A pending login's trust settled (consumed by the backend or its challenge passed: learned; its
     * challenge failed: dropped). False when the login was not pending. Compare-and-set on the stored
     * document, retried, so an evaluation of the same user landing in between is never overwritten.
     */
    async settle(userId: string, evaluationId: string, outcome: 'trusted' | 'untrusted', retentionMs: number): Promise<boolean> {
      for (let attempt = 0; attempt < 5; attempt++) {
        const row = await db.selectFrom('users').select('familiarity').where('id', '=', userId).executeTakeFirst();
        const stored = row?.familiarity ?? null;
        const next = settleLogin(parseProfile(stored), evaluationId, outcome, retentionMs);
        if (next === null) return false;
        const result = await db
          .updateTable('users')
          .set({ familiarity: JSON.stringify(next) })
          .where('id', '=', userId)
          .where((eb) => (stored === null ? eb('familiarity', 'is', null) : eb('familiarity', '=', stored)))
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) === 1) return true;
      }
      return false;
    },
  };
}
