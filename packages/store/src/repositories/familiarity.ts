import { type FamiliarityProfile, type LoginSettlement, mergeProfiles, parseProfile, settleLogin } from '@vigil/core';
import { type Kysely, sql } from 'kysely';
import { newId } from '../ids.js';
import type { Database } from '../schema.js';
import { profileText } from './parsed-profile.js';

/** One user's imported past: when they were first and last seen, the addresses they used, their familiar set. */
export interface ImportedUser {
  externalId: string;
  firstSeenAt: number;
  lastSeenAt: number;
  ips: Map<string, number>;
  familiarity: FamiliarityProfile | null;
}

/** Each user's familiar set: what their trusted logins looked like (learning happens with each evaluation). */
export function familiarityRepository(db: Kysely<Database>) {
  return {
    /** The user's familiar set; null when the project has no such user or nothing was learned yet. */
    async of(projectId: string, externalId: string): Promise<FamiliarityProfile | null> {
      const row = await db.selectFrom('users').select('familiarity').where('project_id', '=', projectId).where('external_id', '=', externalId).executeTakeFirst();
      return parseProfile(row?.familiarity ?? null);
    },

    /**
     * A held login's trust settled (core's `settleLogin`: consumed or verified, learned; failed, dropped).
     * False when nothing changed. Compare-and-set on the stored
     * document, retried, so an evaluation of the same user landing in between is never overwritten.
     */
    async settle(userId: string, evaluationId: string, settlement: LoginSettlement, retentionMs: number): Promise<boolean> {
      for (let attempt = 0; attempt < 5; attempt++) {
        const row = await db.selectFrom('users').select('familiarity').where('id', '=', userId).executeTakeFirst();
        const stored = row?.familiarity ?? null;
        const next = settleLogin(parseProfile(stored), evaluationId, settlement, retentionMs);
        if (next === null) return false;
        const result = await db
          .updateTable('users')
          .set({ familiarity: profileText(next) })
          .where('id', '=', userId)
          .where((eb) => (stored === null ? eb('familiarity', 'is', null) : eb('familiarity', '=', stored)))
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) === 1) return true;
      }
      return false;
    },

    /**
     * Backfills one user's history from an import, in one transaction: the user (created if new, first
     * and last seen widened), the addresses they used, and the imported familiar set merged into what was
     * already learned. Running an import twice counts its logins twice in the familiar set (shares, not
     * newness, change): import each file once.
     */
    async importUser(projectId: string, u: ImportedUser): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const user = await trx
          .insertInto('users')
          .values({ id: newId('us'), project_id: projectId, external_id: u.externalId, first_seen_at: u.firstSeenAt, last_seen_at: u.lastSeenAt })
          .onConflict((oc) =>
            oc.columns(['project_id', 'external_id']).doUpdateSet({
              first_seen_at: sql`case when excluded.first_seen_at < users.first_seen_at then excluded.first_seen_at else users.first_seen_at end`,
              last_seen_at: sql`case when excluded.last_seen_at > users.last_seen_at then excluded.last_seen_at else users.last_seen_at end`,
            }),
          )
          .returning(['id', 'familiarity'])
          .executeTakeFirstOrThrow();
        for (const [ip, at] of u.ips) {
          await trx
            .insertInto('user_ips')
            .values({ project_id: projectId, user_id: user.id, ip, first_seen_at: at, last_seen_at: at })
            .onConflict((oc) =>
              oc
                .columns(['user_id', 'ip'])
                .doUpdateSet({ last_seen_at: sql`case when excluded.last_seen_at > user_ips.last_seen_at then excluded.last_seen_at else user_ips.last_seen_at end` }),
            )
            .execute();
        }
        const merged = mergeProfiles(parseProfile(user.familiarity), u.familiarity);
        if (merged !== null)
          await trx
            .updateTable('users')
            .set({ familiarity: JSON.stringify(merged) })
            .where('id', '=', user.id)
            .execute();
      });
    },
  };
}
