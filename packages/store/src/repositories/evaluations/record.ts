import { type Kysely, sql } from 'kysely';
import { hot, hotVariants } from '../../hot/compiled.js';
import { newId } from '../../ids.js';
import { toJson } from '../../json.js';
import { riskFlags } from '../../risk-flags.js';
import type { Database, EvaluationTable } from '../../schema.js';
import { applyEffects } from './effects.js';
import { type EvaluationRecord, type NewEvaluation, recordOf } from './types.js';

// Sightings keep the latest time seen even when evaluations arrive out of order.
// The existing row is named by its table: PostgreSQL finds a bare column ambiguous beside `excluded`.
function latest(table: 'users' | 'devices' | 'fingerprints' | 'user_devices' | 'user_fingerprints' | 'user_ips' | 'project_origins') {
  const current = sql.ref(`${table}.last_seen_at`);
  return sql<number>`case when excluded.last_seen_at > ${current} then excluded.last_seen_at else ${current} end`;
}

/** The user's id, their contact as it stands after this upsert, and their familiar set (JSON). */
export interface UpsertedUser {
  id: string;
  email: string | null;
  phone: string | null;
  familiarity: string | null;
}

type UserParams = { id: string; projectId: string; externalId: string; email: string | null; phone: string | null; now: number };

/**
 * A contact (email, phone) is where challenge codes go, so who may set it matters. The backend (server
 * channel, production secret key) vouches for the user: what it sends replaces the stored contact, and a
 * changed contact is no longer verified (`vouched`). The browser (client channel, public client id) may
 * be an attacker who holds the password: it may give a contact only to a user who has none at all (no
 * email, no phone), never change or add to one (`evidence`). A development key's evaluations are test
 * traffic on the same users: evidence, like the browser's.
 */
const upsertUser = hotVariants<'vouched' | 'evidence', UserParams, UpsertedUser>((db, p, contactRule) =>
  db
    .insertInto('users')
    .values({ id: p.id, project_id: p.projectId, external_id: p.externalId, email: p.email, phone: p.phone, first_seen_at: p.now, last_seen_at: p.now })
    .onConflict((oc) =>
      oc.columns(['project_id', 'external_id']).doUpdateSet({
        last_seen_at: latest('users'),
        ...(contactRule === 'vouched'
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
            }),
      }),
    )
    // The upsert holds the user's row until the transaction ends, so the familiar set read here is the
    // one this evaluation's observation updates, whatever else runs for the user at the same time.
    .returning(['id', 'email', 'phone', 'familiarity']),
);

// The browser's old cookie is gone (storage cleared): its device answers to the new one.
const relinkDevice = hot<{ deviceId: string; cookieId: string; now: number }, never>((db, p) =>
  db
    .updateTable('devices')
    .set({ cookie_id: p.cookieId, last_seen_at: sql`case when ${p.now} > last_seen_at then ${p.now} else last_seen_at end` })
    .where('id', '=', p.deviceId),
);

const upsertDevice = hot<{ id: string; projectId: string; cookieId: string; userAgent: string | null; deviceClass: string | null; now: number }, { id: string }>((db, p) =>
  db
    .insertInto('devices')
    .values({ id: p.id, project_id: p.projectId, cookie_id: p.cookieId, user_agent: p.userAgent, device_class: p.deviceClass, first_seen_at: p.now, last_seen_at: p.now })
    .onConflict((oc) =>
      oc.columns(['project_id', 'cookie_id']).doUpdateSet({
        last_seen_at: latest('devices'),
        user_agent: sql`coalesce(excluded.user_agent, devices.user_agent)`,
        device_class: sql`coalesce(excluded.device_class, devices.device_class)`,
      }),
    )
    .returning('id'),
);

const upsertFingerprint = hot<{ id: string; projectId: string; hash: string; now: number }, { id: string }>((db, p) =>
  db
    .insertInto('fingerprints')
    .values({ id: p.id, project_id: p.projectId, hash: p.hash, first_seen_at: p.now, last_seen_at: p.now })
    .onConflict((oc) => oc.columns(['project_id', 'hash']).doUpdateSet({ last_seen_at: latest('fingerprints') }))
    .returning('id'),
);

type Seen = { projectId: string; userId: string; now: number };
type DevicePlace = { latitude: number | null; longitude: number | null; accuracyKm: number | null; precision: string | null };

// The device's place moves only with a newer located evaluation (`located`); otherwise it stays.
const sightDevice = hotVariants<'located' | 'unlocated', Seen & { deviceId: string } & DevicePlace, never>((db, p, kind) => {
  const place = { last_latitude: p.latitude, last_longitude: p.longitude, last_accuracy_km: p.accuracyKm, last_geo_precision: p.precision };
  return db
    .insertInto('user_devices')
    .values({ project_id: p.projectId, user_id: p.userId, first_seen_at: p.now, last_seen_at: p.now, device_id: p.deviceId, ...place })
    .onConflict((oc) =>
      oc.columns(['user_id', 'device_id']).doUpdateSet(
        kind === 'located'
          ? {
              last_seen_at: latest('user_devices'),
              last_latitude: sql.ref('excluded.last_latitude'),
              last_longitude: sql.ref('excluded.last_longitude'),
              last_accuracy_km: sql.ref('excluded.last_accuracy_km'),
              last_geo_precision: sql.ref('excluded.last_geo_precision'),
            }
          : { last_seen_at: latest('user_devices') },
      ),
    );
});

// With a device, the fingerprint remembers it: the device a cleared cookie is re-linked to.
const sightFingerprint = hotVariants<'with_device' | 'without_device', Seen & { fingerprintId: string; deviceId: string }, never>((db, p, kind) =>
  db
    .insertInto('user_fingerprints')
    .values({
      project_id: p.projectId,
      user_id: p.userId,
      first_seen_at: p.now,
      last_seen_at: p.now,
      fingerprint_id: p.fingerprintId,
      ...(kind === 'with_device' ? { last_device_id: p.deviceId } : {}),
    })
    .onConflict((oc) =>
      oc
        .columns(['user_id', 'fingerprint_id'])
        .doUpdateSet(
          kind === 'with_device'
            ? { last_seen_at: latest('user_fingerprints'), last_device_id: sql.ref('excluded.last_device_id') }
            : { last_seen_at: latest('user_fingerprints') },
        ),
    ),
);

const sightIp = hot<Seen & { ip: string }, never>((db, p) =>
  db
    .insertInto('user_ips')
    .values({ project_id: p.projectId, user_id: p.userId, first_seen_at: p.now, last_seen_at: p.now, ip: p.ip })
    .onConflict((oc) => oc.columns(['user_id', 'ip']).doUpdateSet({ last_seen_at: latest('user_ips') })),
);

const sightOrigin = hot<{ projectId: string; origin: string; now: number }, never>((db, p) =>
  db
    .insertInto('project_origins')
    .values({ project_id: p.projectId, origin: p.origin, first_seen_at: p.now, last_seen_at: p.now })
    .onConflict((oc) => oc.columns(['project_id', 'origin']).doUpdateSet({ last_seen_at: latest('project_origins') })),
);

const EVALUATION_COLUMNS = [
  'id',
  'project_id',
  'environment',
  'channel',
  'action',
  'user_id',
  'user_external_id',
  'email',
  'phone',
  'device_id',
  'fingerprint_id',
  'ip',
  'user_agent',
  'origin',
  'metadata',
  'verdict',
  'policy',
  'challenge',
  'redirect',
  'risks',
  'risk_flags',
  'checks',
  'reasons',
  'latitude',
  'longitude',
  'accuracy_km',
  'geo_precision',
  'country',
  'ip_type',
  'ip_info',
  'consumed_at',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof EvaluationTable)[];

const insertEvaluation = hot<EvaluationTable, never>((db, p) =>
  db.insertInto('evaluations').values(Object.fromEntries(EVALUATION_COLUMNS.map((c) => [c, p[c]])) as unknown as EvaluationTable),
);

async function recordSightings(db: Kysely<Database>, e: NewEvaluation, userId: string, deviceId: string | null, fingerprintId: string | null) {
  const seen = { projectId: e.projectId, userId, now: e.now };
  if (deviceId) {
    // A device's place is where its person was: a relay, VPN, proxy, Tor or hosting address shows the
    // network's place instead, and would make a phone at home look like it was abroad.
    const personal = e.place && !['relay', 'vpn', 'proxy', 'tor', 'hosting'].includes(e.place.ipType ?? '') ? e.place : null;
    await sightDevice(personal ? 'located' : 'unlocated').run(db, {
      ...seen,
      deviceId,
      latitude: personal?.latitude ?? null,
      longitude: personal?.longitude ?? null,
      accuracyKm: personal?.accuracyKm ?? null,
      precision: personal?.precision ?? null,
    });
  }
  if (fingerprintId) await sightFingerprint(deviceId ? 'with_device' : 'without_device').run(db, { ...seen, fingerprintId, deviceId: deviceId ?? '' });
  if (e.ip) await sightIp.run(db, { ...seen, ip: e.ip });
}

/**
 * Records an evaluation and what it saw (user, device, fingerprint, IP), then the decision's effects, on
 * `db`: the caller gives a transaction, so that the next evaluation's history includes all of this one,
 * or none of it. Races between two requests of one user are settled by unique keys and upserts.
 */
export async function recordEvaluation(db: Kysely<Database>, e: NewEvaluation): Promise<EvaluationRecord> {
  const contactRule = e.channel === 'server' && e.environment === 'production' ? 'vouched' : 'evidence';
  const user = await upsertUser(contactRule).first(db, {
    id: newId('us', e.now),
    projectId: e.projectId,
    externalId: e.user.externalId,
    email: e.user.email,
    phone: e.user.phone,
    now: e.now,
  });
  if (!user) throw new Error('user upsert returned no row');
  const deviceId = await sightedDevice(db, e);
  const fingerprintId = e.fingerprintHash
    ? ((await upsertFingerprint.first(db, { id: e.fingerprintId ?? newId('fp', e.now), projectId: e.projectId, hash: e.fingerprintHash, now: e.now }))?.id ?? null)
    : null;
  await recordSightings(db, e, user.id, deviceId, fingerprintId);
  const row: EvaluationTable = {
    id: e.id,
    project_id: e.projectId,
    environment: e.environment,
    channel: e.channel,
    action: e.action,
    user_id: user.id,
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
  await insertEvaluation.run(db, row);
  if (e.origin) await sightOrigin.run(db, { projectId: e.projectId, origin: e.origin, now: e.now });
  await applyEffects(db, e, user, deviceId);
  // What was stored, from the values in hand rather than parsed back from the JSON just written.
  return recordOf(row, { ipInfo: e.ipInfo, metadata: e.metadata, policy: e.policy, challenge: e.challenge, risks: e.risks, checks: e.checks, reasons: e.reasons });
}

/**
 * The evaluation's device: the one its cookie names (created when new), the one re-linked by
 * fingerprint (which takes the new cookie, if any), or none. A backend's evaluation has no cookie but
 * may have a device re-linked by fingerprint.
 */
async function sightedDevice(db: Kysely<Database>, e: NewEvaluation): Promise<string | null> {
  if (e.relinkedDevice && e.deviceId) {
    if (e.deviceCookieId) await relinkDevice.run(db, { deviceId: e.deviceId, cookieId: e.deviceCookieId, now: e.now });
    return e.deviceId;
  }
  if (!e.deviceCookieId) return null;
  const row = await upsertDevice.first(db, {
    id: e.deviceId ?? newId('dv', e.now),
    projectId: e.projectId,
    cookieId: e.deviceCookieId,
    userAgent: e.userAgent,
    deviceClass: e.deviceClass,
    now: e.now,
  });
  return row?.id ?? null;
}
