import { timingSafeEqual } from 'node:crypto';
import { type ChallengeStatus, challengeSourcesOf, isChallengeClosed } from '@vigil/core';
import { type Kysely, sql } from 'kysely';
import { fromJson } from '../json.js';
import type { Database } from '../schema.js';
import type { Environment } from './projects.js';
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
  /** The user's contact when the challenge opened: its codes go there and nowhere else. */
  contact: { email: string | null; phone: string | null };
  createdAt: number;
  updatedAt: number;
}

/** What judging an entered code came to; attempts are claimed before the code is compared. */
export type CodeJudgement =
  | { outcome: 'passed'; channel: string }
  | { outcome: 'wrong'; attemptsLeft: number }
  | { outcome: 'failed' }
  | { outcome: 'expired' }
  | { outcome: 'no_code' }
  | { outcome: 'closed' };

/** A send slot claimed before the message goes out, so that parallel sends cannot pass the limits. */
export type SendClaim = { ok: true; release: () => Promise<void> } | { ok: false; reason: 'closed' | 'too_soon' | 'too_many'; retryAfterMs?: number };

const sameHash = (a: string, b: string) => {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
};

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
  const read = async (where: { id: string; projectId?: string; environment?: Environment }): Promise<ChallengeRecord | null> => {
    let query = db.selectFrom('challenges').selectAll().where('id', '=', where.id);
    if (where.projectId !== undefined) query = query.where('project_id', '=', where.projectId);
    // A challenge is of its evaluation's environment: a development key never reaches a production one.
    const { environment } = where;
    if (environment !== undefined)
      query = query.where((eb) =>
        eb.exists(
          eb.selectFrom('evaluations').select('evaluations.id').whereRef('evaluations.id', '=', 'challenges.evaluation_id').where('evaluations.environment', '=', environment),
        ),
      );
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
    contact: { email: r.email ?? null, phone: r.phone ?? null },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
  return {
    /** The project's challenges, newest first, by status if asked (keyset pages on created_at, id). */
    async search(
      projectId: string,
      filter: { status?: string; after?: { createdAt: number; id: string }; limit: number },
    ): Promise<{ data: (ChallengeRecord & { userExternalId: string })[]; next: { createdAt: number; id: string } | null }> {
      let q = db
        .selectFrom('challenges')
        .innerJoin('users', 'users.id', 'challenges.user_id')
        .selectAll('challenges')
        .select('users.external_id')
        .where('challenges.project_id', '=', projectId);
      if (filter.status) q = q.where('challenges.status', '=', filter.status);
      if (filter.after) {
        const { createdAt, id } = filter.after;
        q = q.where(before('challenges.created_at', 'challenges.id', { at: createdAt, id }));
      }
      const rows = await q
        .orderBy('challenges.created_at', 'desc')
        .orderBy('challenges.id', 'desc')
        .limit(filter.limit + 1)
        .execute();
      const data = rows.slice(0, filter.limit).map((r) => ({ ...toRecord(r), userExternalId: r.external_id }));
      const last = data.at(-1);
      return { data, next: rows.length > filter.limit && last ? { createdAt: last.createdAt, id: last.id } : null };
    },

    /** `environment`: a secret key's, which sees only its environment's challenges; absent, every environment's. */
    find: (projectId: string, id: string, environment?: Environment) => read({ id, projectId, ...(environment === undefined ? {} : { environment }) }),
    /** By id alone: for the hosted page, whose signed link names the challenge but no project. */
    findById: (id: string) => read({ id }),

    /**
     * Moves the challenge to `to` only from a status the transition table allows (one conditional
     * UPDATE): false when it was not in one, e.g. a racing request moved it first.
     */
    async move(id: string, to: ChallengeStatus, now: number): Promise<boolean> {
      const r = await db.updateTable('challenges').set({ status: to, updated_at: now }).where('id', '=', id).where('status', 'in', challengeSourcesOf(to)).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async code(challengeId: string): Promise<ChallengeCodeRecord | null> {
      const r = await db.selectFrom('challenge_codes').selectAll().where('challenge_id', '=', challengeId).executeTakeFirst();
      // A row without a hash is a send still on its way (claimed, not yet delivered): no code yet.
      if (!r || r.code_hash === '') return null;
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

    /**
     * Claims one send before the message goes out: at most `maxSends` per challenge, none within
     * `cooldownMs` of the last, decided by one conditional write so parallel requests cannot all send.
     * `release` gives the slot back when the delivery failed (nothing was sent).
     */
    async claimSend(input: { challengeId: string; channel: string; destination: string; maxSends: number; cooldownMs: number; now: number }): Promise<SendClaim> {
      const challenge = await db.selectFrom('challenges').select('status').where('id', '=', input.challengeId).executeTakeFirst();
      if (!challenge || isChallengeClosed(challenge.status) || challenge.status === 'verified') return { ok: false, reason: 'closed' };
      const first = await db
        .insertInto('challenge_codes')
        .values({ challenge_id: input.challengeId, channel: input.channel, destination: input.destination, code_hash: '', sends: 1, last_sent_at: input.now, expires_at: 0 })
        .onConflict((oc) => oc.column('challenge_id').doNothing())
        .executeTakeFirst();
      if (Number(first.numInsertedOrUpdatedRows ?? 0n) === 1) {
        return { ok: true, release: async () => void (await db.deleteFrom('challenge_codes').where('challenge_id', '=', input.challengeId).where('code_hash', '=', '').execute()) };
      }
      const before = await db.selectFrom('challenge_codes').select(['sends', 'last_sent_at']).where('challenge_id', '=', input.challengeId).executeTakeFirst();
      if (!before) return { ok: false, reason: 'too_soon', retryAfterMs: 1000 };
      const claimed = await db
        .updateTable('challenge_codes')
        .set({ sends: sql<number>`sends + 1`, last_sent_at: input.now })
        .where('challenge_id', '=', input.challengeId)
        .where('sends', '<', input.maxSends)
        .where('last_sent_at', '<=', input.now - input.cooldownMs)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) === 1) {
        const previous = Number(before.last_sent_at);
        return {
          ok: true,
          release: async () =>
            void (await db.updateTable('challenge_codes').set({ sends: sql<number>`sends - 1`, last_sent_at: previous }).where('challenge_id', '=', input.challengeId).execute()),
        };
      }
      const now = await db.selectFrom('challenge_codes').select(['sends', 'last_sent_at']).where('challenge_id', '=', input.challengeId).executeTakeFirst();
      if (now && Number(now.sends) >= input.maxSends) return { ok: false, reason: 'too_many' };
      return { ok: false, reason: 'too_soon', retryAfterMs: Math.max(1000, (now ? Number(now.last_sent_at) : input.now) + input.cooldownMs - input.now) };
    },

    /** Records the code a claimed send delivered (a resend replaces the code but keeps the attempts), and moves the challenge to code_sent. */
    async saveCode(code: { challengeId: string; channel: string; destination: string; codeHash: string; expiresAt: number }, now: number): Promise<void> {
      await db.transaction().execute(async (tx) => {
        await tx
          .updateTable('challenge_codes')
          .set({ channel: code.channel, destination: code.destination, code_hash: code.codeHash, expires_at: code.expiresAt })
          .where('challenge_id', '=', code.challengeId)
          .execute();
        await tx
          .updateTable('challenges')
          .set({ status: 'code_sent', updated_at: now })
          .where('id', '=', code.challengeId)
          .where('status', 'in', challengeSourcesOf('code_sent'))
          .execute();
      });
    },

    /**
     * Judges an entered code. The attempt is claimed first, by one conditional UPDATE (`attempts <
     * max`), so however many guesses arrive together at most `maxAttempts` are ever compared; the
     * attempt that uses up the last one fails the challenge in the same transaction, and a pass moves
     * it (to verified, or completed) and verifies the user's contact, only if it still is the one the
     * code went to.
     */
    async judgeCode(input: { challengeId: string; givenHash: string; maxAttempts: number; passTo: 'verified' | 'completed'; now: number }): Promise<CodeJudgement> {
      return db.transaction().execute(async (tx): Promise<CodeJudgement> => {
        const claimed = await tx
          .updateTable('challenge_codes')
          .set({ attempts: sql<number>`attempts + 1` })
          .where('challenge_id', '=', input.challengeId)
          .where('code_hash', '!=', '')
          .where('attempts', '<', input.maxAttempts)
          .where('expires_at', '>', input.now)
          .where((eb) => eb.exists(eb.selectFrom('challenges').select('challenges.id').where('challenges.id', '=', input.challengeId).where('challenges.status', '=', 'code_sent')))
          .returning(['attempts', 'code_hash', 'channel', 'destination'])
          .executeTakeFirst();
        if (!claimed) {
          const challenge = await tx.selectFrom('challenges').select('status').where('id', '=', input.challengeId).executeTakeFirst();
          if (challenge?.status !== 'code_sent')
            return challenge && !isChallengeClosed(challenge.status) && challenge.status !== 'verified' ? { outcome: 'no_code' } : { outcome: 'closed' };
          const code = await tx.selectFrom('challenge_codes').select(['attempts', 'expires_at', 'code_hash']).where('challenge_id', '=', input.challengeId).executeTakeFirst();
          if (!code || code.code_hash === '') return { outcome: 'no_code' };
          if (Number(code.attempts) >= input.maxAttempts) {
            await tx
              .updateTable('challenges')
              .set({ status: 'failed', updated_at: input.now })
              .where('id', '=', input.challengeId)
              .where('status', 'in', challengeSourcesOf('failed'))
              .execute();
            return { outcome: 'failed' };
          }
          return { outcome: 'expired' };
        }
        if (sameHash(claimed.code_hash, input.givenHash)) {
          const moved = await tx
            .updateTable('challenges')
            .set({ status: input.passTo, updated_at: input.now })
            .where('id', '=', input.challengeId)
            .where('status', '=', 'code_sent')
            .returning('user_id')
            .executeTakeFirst();
          if (!moved) return { outcome: 'closed' };
          const email = claimed.channel !== 'sms';
          await tx
            .updateTable('users')
            .set(email ? { is_email_verified: 1 } : { is_phone_verified: 1 })
            .where('id', '=', moved.user_id)
            .where(email ? 'email' : 'phone', '=', claimed.destination)
            .execute();
          return { outcome: 'passed', channel: claimed.channel };
        }
        const attemptsLeft = input.maxAttempts - Number(claimed.attempts);
        if (attemptsLeft > 0) return { outcome: 'wrong', attemptsLeft };
        await tx
          .updateTable('challenges')
          .set({ status: 'failed', updated_at: input.now })
          .where('id', '=', input.challengeId)
          .where('status', 'in', challengeSourcesOf('failed'))
          .execute();
        return { outcome: 'failed' };
      });
    },
  };
}

export type ChallengeRepository = ReturnType<typeof challengeRepository>;
