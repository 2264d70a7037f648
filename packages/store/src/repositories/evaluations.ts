import type { Checks, RiskExplanation, Verdict } from '@vigil/core';
import { type Kysely, type Transaction, sql } from 'kysely';
import { newId } from '../ids.js';
import { fromJson, toJson } from '../json.js';
import type { Database, EvaluationTable } from '../schema.js';
import type { Environment } from './projects.js';

export type Metadata = Record<string, string | number | boolean | null>;

/** Everything about one evaluation that is kept: what was asked, what was seen, what was decided and why. */
export interface EvaluationRecord {
  id: string;
  projectId: string;
  environment: Environment;
  channel: 'client' | 'server';
  action: string;
  user: { id: string; externalId: string; email: string | null; phone: string | null };
  deviceId: string | null;
  fingerprintId: string | null;
  ip: string | null;
  userAgent: string | null;
  origin: string | null;
  metadata: Metadata;
  verdict: Verdict;
  policy: unknown;
  challenge: unknown;
  redirect: string | null;
  risks: RiskExplanation[];
  checks: Checks;
  reasons: string[];
  consumedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface NewEvaluation {
  projectId: string;
  environment: Environment;
  channel: 'client' | 'server';
  action: string;
  user: { externalId: string; email: string | null; phone: string | null };
  deviceCookieId: string | null;
  fingerprintHash: string | null;
  ip: string | null;
  userAgent: string | null;
  origin: string | null;
  metadata: Metadata;
  verdict: Verdict;
  checks: Checks;
  reasons: string[];
  risks: RiskExplanation[];
  now: number;
}

export type ConsumeResult =
  | { status: 'consumed'; evaluation: EvaluationRecord }
  | { status: 'already_consumed'; evaluation: EvaluationRecord }
  | { status: 'not_found' };

function toRecord(row: EvaluationTable): EvaluationRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    environment: row.environment as Environment,
    channel: row.channel as 'client' | 'server',
    action: row.action,
    user: { id: row.user_id, externalId: row.user_external_id, email: row.email, phone: row.phone },
    deviceId: row.device_id,
    fingerprintId: row.fingerprint_id,
    ip: row.ip,
    userAgent: row.user_agent,
    origin: row.origin,
    metadata: fromJson<Metadata>(row.metadata, {}),
    verdict: row.verdict as Verdict,
    policy: fromJson<unknown>(row.policy, null),
    challenge: fromJson<unknown>(row.challenge, null),
    redirect: row.redirect,
    risks: fromJson<RiskExplanation[]>(row.risks, []),
    checks: fromJson<Checks>(row.checks, {}),
    reasons: fromJson<string[]>(row.reasons, []),
    consumedAt: row.consumed_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

// Sightings keep the latest time seen even when evaluations arrive out of order.
// The existing row is named by its table: PostgreSQL finds a bare column ambiguous beside `excluded`.
function latest(table: 'users' | 'devices' | 'fingerprints' | 'user_devices' | 'user_fingerprints' | 'user_ips') {
  const current = sql.ref(`${table}.last_seen_at`);
  return sql<number>`case when excluded.last_seen_at > ${current} then excluded.last_seen_at else ${current} end`;
}

async function upsertUser(trx: Transaction<Database>, e: NewEvaluation): Promise<string> {
  const row = await trx
    .insertInto('users')
    .values({
      id: newId('us'),
      project_id: e.projectId,
      external_id: e.user.externalId,
      email: e.user.email,
      phone: e.user.phone,
      first_seen_at: e.now,
      last_seen_at: e.now,
    })
    .onConflict((oc) =>
      oc.columns(['project_id', 'external_id']).doUpdateSet({
        last_seen_at: latest('users'),
        // A login that omits the email does not forget the one the user already has.
        email: sql`coalesce(excluded.email, users.email)`,
        phone: sql`coalesce(excluded.phone, users.phone)`,
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function upsertDevice(trx: Transaction<Database>, e: NewEvaluation, cookieId: string): Promise<string> {
  const row = await trx
    .insertInto('devices')
    .values({ id: newId('dv'), project_id: e.projectId, cookie_id: cookieId, user_agent: e.userAgent, first_seen_at: e.now, last_seen_at: e.now })
    .onConflict((oc) =>
      oc.columns(['project_id', 'cookie_id']).doUpdateSet({ last_seen_at: latest('devices'), user_agent: sql`coalesce(excluded.user_agent, devices.user_agent)` }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function upsertFingerprint(trx: Transaction<Database>, e: NewEvaluation, hash: string): Promise<string> {
  const row = await trx
    .insertInto('fingerprints')
    .values({ id: newId('fp'), project_id: e.projectId, hash, first_seen_at: e.now, last_seen_at: e.now })
    .onConflict((oc) => oc.columns(['project_id', 'hash']).doUpdateSet({ last_seen_at: latest('fingerprints') }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function recordSightings(trx: Transaction<Database>, e: NewEvaluation, userId: string, deviceId: string | null, fingerprintId: string | null) {
  const seen = { project_id: e.projectId, user_id: userId, first_seen_at: e.now, last_seen_at: e.now };
  if (deviceId) {
    await trx
      .insertInto('user_devices')
      .values({ ...seen, device_id: deviceId })
      .onConflict((oc) => oc.columns(['user_id', 'device_id']).doUpdateSet({ last_seen_at: latest('user_devices') }))
      .execute();
  }
  if (fingerprintId) {
    await trx
      .insertInto('user_fingerprints')
      .values({ ...seen, fingerprint_id: fingerprintId })
      .onConflict((oc) => oc.columns(['user_id', 'fingerprint_id']).doUpdateSet({ last_seen_at: latest('user_fingerprints') }))
      .execute();
  }
  if (e.ip) {
    await trx
      .insertInto('user_ips')
      .values({ ...seen, ip: e.ip })
      .onConflict((oc) => oc.columns(['user_id', 'ip']).doUpdateSet({ last_seen_at: latest('user_ips') }))
      .execute();
  }
}

export function evaluationRepository(db: Kysely<Database>) {
  async function find(projectId: string, id: string): Promise<EvaluationRecord | null> {
    const row = await db.selectFrom('evaluations').selectAll().where('id', '=', id).where('project_id', '=', projectId).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  return {
    find,

    /**
     * Records an evaluation and what it saw (user, device, fingerprint, IP) in one transaction, so that
     * the next evaluation's history includes this one, or neither is kept. Races between two requests of
     * one user are settled by unique keys and upserts, not by locks.
     */
    async record(e: NewEvaluation): Promise<EvaluationRecord> {
      return db.transaction().execute(async (trx) => {
        const userId = await upsertUser(trx, e);
        const deviceId = e.deviceCookieId ? await upsertDevice(trx, e, e.deviceCookieId) : null;
        const fingerprintId = e.fingerprintHash ? await upsertFingerprint(trx, e, e.fingerprintHash) : null;
        await recordSightings(trx, e, userId, deviceId, fingerprintId);
        const row: EvaluationTable = {
          id: newId('ev'),
          project_id: e.projectId,
          environment: e.environment,
          channel: e.channel,
          action: e.action,
          user_id: userId,
          user_external_id: e.user.externalId,
          email: e.user.email,
          phone: e.user.phone,
          device_id: deviceId,
          fingerprint_id: fingerprintId,
          ip: e.ip,
          user_agent: e.userAgent,
          origin: e.origin,
          metadata: toJson(e.metadata),
          verdict: e.verdict,
          policy: null,
          challenge: null,
          redirect: null,
          risks: toJson(e.risks),
          checks: toJson(e.checks),
          reasons: toJson(e.reasons),
          consumed_at: null,
          created_at: e.now,
          updated_at: e.now,
        };
        await trx.insertInto('evaluations').values(row).execute();
        return toRecord(row);
      });
    },

    /** Marks an evaluation consumed, exactly once even when two backends race to confirm it. */
    async consume(projectId: string, id: string, now: number): Promise<ConsumeResult> {
      const result = await db
        .updateTable('evaluations')
        .set({ consumed_at: now, updated_at: now })
        .where('id', '=', id)
        .where('project_id', '=', projectId)
        .where('consumed_at', 'is', null)
        .executeTakeFirst();
      const evaluation = await find(projectId, id);
      if (!evaluation) return { status: 'not_found' };
      return Number(result.numUpdatedRows) === 1 ? { status: 'consumed', evaluation } : { status: 'already_consumed', evaluation };
    },
  };
}

export type EvaluationRepository = ReturnType<typeof evaluationRepository>;
