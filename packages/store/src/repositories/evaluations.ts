import { type Checks, type Effect, type RiskExplanation, type Verdict, challengeSourcesOf, observeLogin, parseProfile } from '@vigil/core';
import { type Kysely, type Transaction, sql } from 'kysely';
import { newId } from '../ids.js';
import { fromJson, toJson } from '../json.js';
import { type Severity, riskFlagPatterns, riskFlags } from '../risk-flags.js';
import type { Database, EvaluationTable } from '../schema.js';
import type { Environment } from './projects.js';
import { before } from './keyset.js';

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
  ipInfo: Record<string, unknown> | null;
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

/** Where the evaluation's IP was, as intel told the caller. */
export interface Place {
  latitude: number;
  longitude: number;
  accuracyKm: number;
  precision: 'city' | 'country';
  country: string | null;
  ipType: string | null;
}

export interface NewEvaluation {
  /** Allocated by the caller (`newId('ev')`) so that a challenge link can name it before it is stored. */
  id: string;
  projectId: string;
  environment: Environment;
  channel: 'client' | 'server';
  action: string;
  user: { externalId: string; email: string | null; phone: string | null };
  deviceCookieId: string | null;
  /** The device's id: the stored one, or a new one the caller allocated for a new cookie. */
  deviceId: string | null;
  /** The device was re-linked by fingerprint: it takes `deviceCookieId` as its cookie from now on. */
  relinkedDevice?: boolean;
  deviceClass: string | null;
  fingerprintHash: string | null;
  /** The fingerprint's id: the stored one, or a new one the caller allocated. */
  fingerprintId: string | null;
  ip: string | null;
  userAgent: string | null;
  origin: string | null;
  place: Place | null;
  /** What intel said of the IP, shown in the evaluation as `ip_info`. */
  ipInfo: Record<string, unknown> | null;
  metadata: Metadata;
  verdict: Verdict;
  checks: Checks;
  reasons: string[];
  risks: RiskExplanation[];
  policy: unknown;
  /** The challenge shown in the evaluation (with its id, allocated by the caller), and its link. */
  challenge: { id: string; [field: string]: unknown } | null;
  redirect: string | null;
  /** What the decision asked for, applied in the same transaction as the evaluation. */
  effects: Effect[];
  now: number;
}

export type ConsumeResult =
  | { status: 'consumed'; evaluation: EvaluationRecord }
  | { status: 'already_consumed'; evaluation: EvaluationRecord }
  | { status: 'not_found' };

export interface EvaluationFilter {
  action?: string;
  verdict?: string;
  /** The application's user id. */
  user?: string;
  ip?: string;
  from?: number;
  to?: number;
  /** A risk (any when no category) at this severity or above. */
  risk?: { category?: string; atLeast: Severity };
  /** The last evaluation of the previous page. */
  after?: { createdAt: number; id: string };
  limit: number;
}

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
    ipInfo: fromJson<Record<string, unknown> | null>(row.ip_info, null),
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
function latest(table: 'users' | 'devices' | 'fingerprints' | 'user_devices' | 'user_fingerprints' | 'user_ips' | 'project_origins') {
  const current = sql.ref(`${table}.last_seen_at`);
  return sql<number>`case when excluded.last_seen_at > ${current} then excluded.last_seen_at else ${current} end`;
}

/** The user's id, their contact as it stands after this upsert, and their familiar set (JSON). */
interface UpsertedUser {
  id: string;
  email: string | null;
  phone: string | null;
  familiarity: string | null;
}

/**
 * A contact (email, phone) is where challenge codes go, so who may set it matters. The backend (server
 * channel, production secret key) vouches for the user: what it sends replaces the stored contact, and a changed
 * contact is no longer verified. The browser (client channel, public client id) may be an attacker who
 * holds the password: it may give a contact only to a user who has none at all (no email, no phone),
 * never change or add to one.
 */
async function upsertUser(trx: Transaction<Database>, e: NewEvaluation): Promise<UpsertedUser> {
  // A development key's evaluations are test traffic on the same users: evidence, like the browser's.
  const contact =
    e.channel === 'server' && e.environment === 'production'
      ? {
          email: sql<string | null>`coalesce(excluded.email, users.email)`,
          phone: sql<string | null>`coalesce(excluded.phone, users.phone)`,
          is_email_verified: sql<number>`case when excluded.email is not null and (users.email is null or excluded.email <> users.email) then 0 else users.is_email_verified end`,
          is_phone_verified: sql<number>`case when excluded.phone is not null and (users.phone is null or excluded.phone <> users.phone) then 0 else users.is_phone_verified end`,
        }
      : {
          // Both judged on the row as it was: a user with an email cannot be given a phone by a browser
          // (an SMS challenge would then go to the attacker's phone), nor the other way round.
          email: sql<string | null>`case when users.email is null and users.phone is null then excluded.email else users.email end`,
          phone: sql<string | null>`case when users.email is null and users.phone is null then excluded.phone else users.phone end`,
        };
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
    .onConflict((oc) => oc.columns(['project_id', 'external_id']).doUpdateSet({ last_seen_at: latest('users'), ...contact }))
    // The upsert holds the user's row until the transaction ends, so the familiar set read here is the
    // one this evaluation's observation updates, whatever else runs for the user at the same time.
    .returning(['id', 'email', 'phone', 'familiarity'])
    .executeTakeFirstOrThrow();
  return row;
}

async function upsertDevice(trx: Transaction<Database>, e: NewEvaluation, cookieId: string): Promise<string> {
  if (e.relinkedDevice && e.deviceId) {
    // The browser's old cookie is gone (storage cleared): its device answers to the new one.
    await trx.updateTable('devices').set({ cookie_id: cookieId, last_seen_at: sql`case when ${e.now} > last_seen_at then ${e.now} else last_seen_at end` }).where('id', '=', e.deviceId).execute();
    return e.deviceId;
  }
  const row = await trx
    .insertInto('devices')
    .values({
      id: e.deviceId ?? newId('dv'),
      project_id: e.projectId,
      cookie_id: cookieId,
      user_agent: e.userAgent,
      device_class: e.deviceClass,
      first_seen_at: e.now,
      last_seen_at: e.now,
    })
    .onConflict((oc) =>
      oc.columns(['project_id', 'cookie_id']).doUpdateSet({
        last_seen_at: latest('devices'),
        user_agent: sql`coalesce(excluded.user_agent, devices.user_agent)`,
        device_class: sql`coalesce(excluded.device_class, devices.device_class)`,
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function upsertFingerprint(trx: Transaction<Database>, e: NewEvaluation, hash: string): Promise<string> {
  const row = await trx
    .insertInto('fingerprints')
    .values({ id: e.fingerprintId ?? newId('fp'), project_id: e.projectId, hash, first_seen_at: e.now, last_seen_at: e.now })
    .onConflict((oc) => oc.columns(['project_id', 'hash']).doUpdateSet({ last_seen_at: latest('fingerprints') }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function recordSightings(trx: Transaction<Database>, e: NewEvaluation, userId: string, deviceId: string | null, fingerprintId: string | null) {
  const seen = { project_id: e.projectId, user_id: userId, first_seen_at: e.now, last_seen_at: e.now };
  if (deviceId) {
    // A device's place is where its person was: a relay, VPN, proxy, Tor or hosting address shows the
    // network's place instead, and would make a phone at home look like it was abroad.
    const personal = e.place && !['relay', 'vpn', 'proxy', 'tor', 'hosting'].includes(e.place.ipType ?? '') ? e.place : null;
    const place = {
      last_latitude: personal?.latitude ?? null,
      last_longitude: personal?.longitude ?? null,
      last_accuracy_km: personal?.accuracyKm ?? null,
      last_geo_precision: personal?.precision ?? null,
    };
    await trx
      .insertInto('user_devices')
      .values({ ...seen, device_id: deviceId, ...place })
      .onConflict((oc) =>
        oc.columns(['user_id', 'device_id']).doUpdateSet(
          // The device's place moves only with a newer located evaluation.
          personal ? { last_seen_at: latest('user_devices'), ...place } : { last_seen_at: latest('user_devices') },
        ),
      )
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

async function recordOrigin(trx: Transaction<Database>, projectId: string, origin: string, now: number) {
  await trx
    .insertInto('project_origins')
    .values({ project_id: projectId, origin, first_seen_at: now, last_seen_at: now })
    .onConflict((oc) => oc.columns(['project_id', 'origin']).doUpdateSet({ last_seen_at: latest('project_origins') }))
    .execute();
}

async function listIdFor(trx: Transaction<Database>, projectId: string, name: string, kind: string, now: number): Promise<string> {
  const existing = await trx.selectFrom('lists').select('id').where('project_id', '=', projectId).where('name', '=', name).executeTakeFirst();
  if (existing) return existing.id;
  // A policy may name a list nobody created yet: create it rather than lose the value.
  const id = newId('li');
  await trx.insertInto('lists').values({ id, project_id: projectId, name, type: kind, created_at: now }).execute();
  return id;
}

/** The decision's effects, as data from core; the store only carries them out. */
async function applyEffects(trx: Transaction<Database>, e: NewEvaluation, user: UpsertedUser, deviceId: string | null) {
  const userId = user.id;
  for (const effect of e.effects) {
    switch (effect.type) {
      case 'suspend_user':
        await trx.updateTable('users').set({ is_suspended: 1 }).where('id', '=', userId).execute();
        break;
      case 'add_to_list': {
        const listId = await listIdFor(trx, e.projectId, effect.list, effect.kind, e.now);
        await trx
          .insertInto('list_entries')
          .values({ list_id: listId, value: effect.value, expires_at: null, created_at: e.now })
          .onConflict((oc) => oc.columns(['list_id', 'value']).doNothing())
          .execute();
        break;
      }
      case 'remove_from_list': {
        const list = await trx.selectFrom('lists').select('id').where('project_id', '=', e.projectId).where('name', '=', effect.list).executeTakeFirst();
        if (list) await trx.deleteFrom('list_entries').where('list_id', '=', list.id).where('value', '=', effect.value).execute();
        break;
      }
      case 'open_challenge': {
        const { kind, reasons, type: method, channels = [], ...config } = effect.challenge;
        if (!e.challenge) throw new Error('open_challenge needs the challenge id allocated by the caller');
        // A newer challenge for the same user and device replaces any still open (SPEC §7 `overridden`):
        // one page per device at a time, and an old link cannot be finished after a new one was sent.
        if (deviceId !== null) {
          await trx
            .updateTable('challenges')
            .set({ status: 'overridden', updated_at: e.now })
            .where('user_id', '=', userId)
            .where('device_id', '=', deviceId)
            .where('status', 'in', challengeSourcesOf('overridden'))
            .execute();
        }
        await trx
          .insertInto('challenges')
          .values({
            id: e.challenge.id,
            project_id: e.projectId,
            evaluation_id: e.id,
            user_id: userId,
            device_id: deviceId,
            kind,
            method,
            policy_id: effect.policy,
            channels: toJson(channels),
            reasons: toJson(reasons),
            config: toJson(config),
            status: 'created',
            // The contact as it stands after this evaluation's own upsert (which a browser cannot
            // change): the challenge's codes will go there and nowhere else.
            email: user.email,
            phone: user.phone,
            created_at: e.now,
            updated_at: e.now,
          })
          .execute();
        break;
      }
      case 'observe_login': {
        // Test traffic (a development key) never teaches production users what they look like.
        if (e.environment !== 'production') break;
        const login = { evaluation: e.id, at: e.now, traits: effect.traits, place: effect.place };
        const profile = parseProfile(user.familiarity);
        const next = observeLogin(profile, login, effect.trust, effect.retentionMs);
        if (next !== profile) await trx.updateTable('users').set({ familiarity: JSON.stringify(next) }).where('id', '=', userId).execute();
        break;
      }
      case 'record_device_conflict': {
        const [a, b] = [...effect.devices].sort() as [string, string];
        await trx
          .insertInto('device_conflicts')
          .values({ project_id: e.projectId, user_id: userId, device_a: a, device_b: b, first_seen_at: e.now })
          .onConflict((oc) => oc.columns(['user_id', 'device_a', 'device_b']).doNothing())
          .execute();
        break;
      }
    }
  }
}

export function evaluationRepository(db: Kysely<Database>) {
  /** `environment`: a secret key's, which sees only its environment's evaluations; absent, every environment's (the dashboard). */
  async function find(projectId: string, id: string, environment?: Environment): Promise<EvaluationRecord | null> {
    let query = db.selectFrom('evaluations').selectAll().where('id', '=', id).where('project_id', '=', projectId);
    if (environment !== undefined) query = query.where('environment', '=', environment);
    const row = await query.executeTakeFirst();
    return row ? withLiveChallenge(toRecord(row)) : null;
  }

  /** The evaluation stores its challenge as opened; its status moves on, so it is read as it is now. */
  async function withLiveChallenge(e: EvaluationRecord): Promise<EvaluationRecord> {
    const opened = e.challenge as { id?: unknown } | null;
    if (!opened || typeof opened.id !== 'string') return e;
    const now = await db.selectFrom('challenges').select(['status']).where('id', '=', opened.id).executeTakeFirst();
    return now ? { ...e, challenge: { ...opened, status: now.status } } : e;
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
        const user = await upsertUser(trx, e);
        const userId = user.id;
        // A backend's evaluation has no cookie but may have a device re-linked by fingerprint.
        const deviceId = e.deviceCookieId ? await upsertDevice(trx, e, e.deviceCookieId) : e.relinkedDevice ? e.deviceId : null;
        const fingerprintId = e.fingerprintHash ? await upsertFingerprint(trx, e, e.fingerprintHash) : null;
        await recordSightings(trx, e, userId, deviceId, fingerprintId);
        const row: EvaluationTable = {
          id: e.id,
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
          policy: e.policy === null ? null : toJson(e.policy),
          challenge: e.challenge === null ? null : toJson(e.challenge),
          redirect: e.redirect,
          risks: toJson(e.risks),
          risk_flags: riskFlags(e.risks),
          checks: toJson(e.checks),
          reasons: toJson(e.reasons),
          latitude: e.place?.latitude ?? null,
          longitude: e.place?.longitude ?? null,
          accuracy_km: e.place?.accuracyKm ?? null,
          geo_precision: e.place?.precision ?? null,
          country: e.place?.country ?? null,
          ip_type: e.place?.ipType ?? null,
          ip_info: e.ipInfo === null ? null : toJson(e.ipInfo),
          consumed_at: null,
          created_at: e.now,
          updated_at: e.now,
        };
        await trx.insertInto('evaluations').values(row).execute();
        if (e.origin) await recordOrigin(trx, e.projectId, e.origin, e.now);
        await applyEffects(trx, e, user, deviceId);
        return toRecord(row);
      });
    },

    /**
     * A page of the project's evaluations, newest first, filtered (each filter uses an index that starts
     * with the project): keyset pagination on (created_at, id), so page 1,000 costs what page 1 does.
     */
    async search(projectId: string, filter: EvaluationFilter): Promise<{ data: EvaluationRecord[]; next: { createdAt: number; id: string } | null }> {
      let q = db.selectFrom('evaluations').selectAll().where('project_id', '=', projectId);
      if (filter.action) q = q.where('action', '=', filter.action);
      if (filter.verdict) q = q.where('verdict', '=', filter.verdict);
      if (filter.user) q = q.where('user_external_id', '=', filter.user);
      if (filter.ip) q = q.where('ip', '=', filter.ip);
      if (filter.from !== undefined) q = q.where('created_at', '>=', filter.from);
      if (filter.to !== undefined) q = q.where('created_at', '<', filter.to);
      if (filter.risk) {
        const patterns = riskFlagPatterns(filter.risk);
        q = q.where((eb) => eb.or(patterns.map((p) => eb('risk_flags', 'like', p))));
      }
      if (filter.after) {
        const { createdAt, id } = filter.after;
        q = q.where(before('created_at', 'id', { at: createdAt, id }));
      }
      const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit + 1).execute();
      const data = rows.slice(0, filter.limit).map(toRecord);
      const last = data.at(-1);
      return { data, next: rows.length > filter.limit && last ? { createdAt: last.createdAt, id: last.id } : null };
    },

    /** Evaluations per UTC day, verdict and highest risk severity in [since, until) (the dashboard's overview). */
    async countsByDay(projectId: string, since: number, until?: number): Promise<{ day: number; verdict: string; severity: Severity; count: number }[]> {
      const day = sql<number>`floor(created_at / 86400000)`;
      const severity = sql<Severity>`case when risk_flags like '%:maximum %' then 'maximum' when risk_flags like '%:high %' then 'high' when risk_flags like '%:medium %' then 'medium' else 'low' end`;
      let q = db
        .selectFrom('evaluations')
        .select([day.as('day'), 'verdict', severity.as('severity'), (eb) => eb.fn.countAll<number>().as('n')])
        .where('project_id', '=', projectId)
        .where('created_at', '>=', since);
      if (until !== undefined) q = q.where('created_at', '<', until);
      const rows = await q.groupBy([day, 'verdict', severity]).execute();
      return rows.map((r) => ({ day: Number(r.day), verdict: r.verdict, severity: r.severity, count: Number(r.n) }));
    },

    /** The project's evaluations since a moment, newest first (policy tests replay them). */
    async since(projectId: string, environment: Environment, since: number, limit: number): Promise<EvaluationRecord[]> {
      const rows = await db
        .selectFrom('evaluations')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('environment', '=', environment)
        .where('created_at', '>=', since)
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toRecord);
    },

    /** Marks an evaluation consumed, exactly once even when two backends race to confirm it. */
    async consume(projectId: string, id: string, now: number, environment?: Environment): Promise<ConsumeResult> {
      let update = db.updateTable('evaluations').set({ consumed_at: now, updated_at: now }).where('id', '=', id).where('project_id', '=', projectId).where('consumed_at', 'is', null);
      // Another environment's evaluation is not consumed, and is "not found", like another project's.
      if (environment !== undefined) update = update.where('environment', '=', environment);
      const result = await update.executeTakeFirst();
      const evaluation = await find(projectId, id, environment);
      if (!evaluation) return { status: 'not_found' };
      return Number(result.numUpdatedRows) === 1 ? { status: 'consumed', evaluation } : { status: 'already_consumed', evaluation };
    },
  };
}

export type EvaluationRepository = ReturnType<typeof evaluationRepository>;
