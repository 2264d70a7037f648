import { type Kysely, sql } from 'kysely';
import { fromJson } from '../json.js';
import type { Database } from '../schema.js';
import { before } from './keyset.js';

export interface ChallengeRecord {
  id: string;
  projectId: string;
  evaluationId: string;
  userId: string;
  deviceId: string | null;
  kind: string;
  method: string;
  channels: string[];
  reasons: string[];
  config: Record<string, unknown>;
  status: string;
  createdAt: number;
  updatedAt: number;
}

/** The code a verification challenge sent, as stored: hashed, with its counters. */
export interface ChallengeCodeRecord {
  challengeId: string;
  channel: string;
  destination: string;
  codeHash: string;
  attempts: number;
  sends: number;
  lastSentAt: number;
  expiresAt: number;
}

export function challengeRepository(db: Kysely<Database>) {
  const read = async (where: { id: string; projectId?: string }): Promise<ChallengeRecord | null> => {
    let query = db.selectFrom('challenges').selectAll().where('id', '=', where.id);
    if (where.projectId !== undefined) query = query.where('project_id', '=', where.projectId);
    const r = await query.executeTakeFirst();
    return r ? toRecord(r) : null;
  };
  const toRecord = (r: Database['challenges']): ChallengeRecord => ({
        id: r.id,
        projectId: r.project_id,
        evaluationId: r.evaluation_id,
        userId: r.user_id,
        deviceId: r.device_id,
        kind: r.kind,
        method: r.method,
        channels: fromJson<string[]>(r.channels, []),
        reasons: fromJson<string[]>(r.reasons, []),
        config: fromJson<Record<string, unknown>>(r.config, {}),
        status: r.status,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
  });
  return {
    /** The project's challenges, newest first, by status if asked (keyset pages on created_at, id). */
    async search(projectId: string, filter: { status?: string; after?: { createdAt: number; id: string }; limit: number }): Promise<{ data: (ChallengeRecord & { userExternalId: string })[]; next: { createdAt: number; id: string } | null }> {
      let q = db.selectFrom('challenges').innerJoin('users', 'users.id', 'challenges.user_id').selectAll('challenges').select('users.external_id').where('challenges.project_id', '=', projectId);
      if (filter.status) q = q.where('challenges.status', '=', filter.status);
      if (filter.after) {
        const { createdAt, id } = filter.after;
        q = q.where(before('challenges.created_at', 'challenges.id', { at: createdAt, id }));
      }
      const rows = await q.orderBy('challenges.created_at', 'desc').orderBy('challenges.id', 'desc').limit(filter.limit + 1).execute();
      const data = rows.slice(0, filter.limit).map((r) => ({ ...toRecord(r), userExternalId: r.external_id }));
      const last = data.at(-1);
      return { data, next: rows.length > filter.limit && last ? { createdAt: last.createdAt, id: last.id } : null };
    },

    find: (projectId: string, id: string) => read({ id, projectId }),
    /** By id alone: for the hosted page, whose signed link names the challenge but no project. */
    findById: (id: string) => read({ id }),

    async setStatus(id: string, status: string, now: number): Promise<void> {
      await db.updateTable('challenges').set({ status, updated_at: now }).where('id', '=', id).execute();
    },

    async code(challengeId: string): Promise<ChallengeCodeRecord | null> {
      const r = await db.selectFrom('challenge_codes').selectAll().where('challenge_id', '=', challengeId).executeTakeFirst();
      if (!r) return null;
      return {
        challengeId: r.challenge_id,
        channel: r.channel,
        destination: r.destination,
        codeHash: r.code_hash,
        attempts: Number(r.attempts),
        sends: Number(r.sends),
        lastSentAt: Number(r.last_sent_at),
        expiresAt: Number(r.expires_at),
      };
    },

    /** Records a newly sent code (a resend replaces the code but keeps the attempts), and the status. */
    async saveCode(code: Omit<ChallengeCodeRecord, 'attempts' | 'sends'>, status: string): Promise<void> {
      await db.transaction().execute(async (tx) => {
        await tx
          .insertInto('challenge_codes')
          .values({ challenge_id: code.challengeId, channel: code.channel, destination: code.destination, code_hash: code.codeHash, sends: 1, last_sent_at: code.lastSentAt, expires_at: code.expiresAt })
          .onConflict((oc) =>
            oc.column('challenge_id').doUpdateSet({
              channel: code.channel,
              destination: code.destination,
              code_hash: code.codeHash,
              sends: sql<number>`challenge_codes.sends + 1`,
              last_sent_at: code.lastSentAt,
              expires_at: code.expiresAt,
            }),
          )
          .execute();
        await tx.updateTable('challenges').set({ status, updated_at: code.lastSentAt }).where('id', '=', code.challengeId).execute();
      });
    },

    /** Counts a wrong code; the challenge fails with it when that was the last attempt allowed. */
    async recordWrongCode(challengeId: string, failed: boolean, now: number): Promise<void> {
      await db.transaction().execute(async (tx) => {
        await tx.updateTable('challenge_codes').set({ attempts: sql<number>`attempts + 1` }).where('challenge_id', '=', challengeId).execute();
        if (failed) await tx.updateTable('challenges').set({ status: 'failed', updated_at: now }).where('id', '=', challengeId).execute();
      });
    },

    /** A passed verification: the user's email or phone verified and the challenge's new status, together. */
    async passVerification(challenge: { id: string; userId: string }, channel: 'email' | 'sms', status: 'verified' | 'completed', now: number): Promise<void> {
      await db.transaction().execute(async (tx) => {
        await tx.updateTable('challenges').set({ status, updated_at: now }).where('id', '=', challenge.id).execute();
        await tx
          .updateTable('users')
          .set(channel === 'email' ? { is_email_verified: 1 } : { is_phone_verified: 1 })
          .where('id', '=', challenge.userId)
          .execute();
      });
    },

    /** Where a verification code can go: the user's email and phone as the application gave them. */
    async contact(userId: string): Promise<{ email: string | null; phone: string | null } | null> {
      const r = await db.selectFrom('users').select(['email', 'phone']).where('id', '=', userId).executeTakeFirst();
      return r ? { email: r.email, phone: r.phone } : null;
    },
  };
}

export type ChallengeRepository = ReturnType<typeof challengeRepository>;
