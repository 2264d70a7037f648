import { type Kysely, PostgresAdapter, sql } from 'kysely';
import { hotVariants } from '../../hot/compiled.js';
import { newId } from '../../ids.js';
import { toJson } from '../../json.js';
import { riskFlags } from '../../risk-flags.js';
import type { Database, EvaluationTable } from '../../schema.js';
import { applyEffects } from './effects.js';
import { type PlannedFamiliarSet, plannedFamiliarSet } from './familiar-set.js';
import {
  type ContactRule,
  type DevicePlace,
  deviceRelink,
  deviceSighting,
  deviceUpsert,
  evaluationValuesOf,
  type FamiliarSetParams,
  evaluationInsert,
  fingerprintSighting,
  fingerprintUpsert,
  type Id,
  insertEvaluation,
  type Learning,
  ipSighting,
  originSighting,
  type PlaceKind,
  relinkDevice,
  sightDevice,
  sightFingerprint,
  sightIp,
  sightOrigin,
  type UpsertedUser,
  type UserParams,
  upsertDevice,
  upsertFingerprint,
  upsertUser,
  userUpsert,
} from './statements.js';
import { type EvaluationRecord, type NewEvaluation, recordOf } from './types.js';

/** The evaluation's own columns; the user, device and fingerprint ids come from what was written. */
type EvaluationRow = Omit<EvaluationTable, 'user_id' | 'device_id' | 'fingerprint_id'>;

function evaluationRowOf(e: NewEvaluation): EvaluationRow {
  return {
    id: e.id,
    project_id: e.projectId,
    environment: e.environment,
    channel: e.channel,
    action: e.action,
    user_external_id: e.user.externalId,
    email: e.user.email,
    phone: e.user.phone,
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
}

/** The user as the upsert left it, and the device and fingerprint the evaluation names. */
interface Written {
  user: UpsertedUser;
  deviceId: string | null;
  fingerprintId: string | null;
}

/**
 * A device's place is where its person was: a relay, VPN, proxy, Tor or hosting address shows the
 * network's place instead, and would make a phone at home look like it was abroad.
 */
function personalPlaceOf(e: NewEvaluation): DevicePlace | null {
  const place = e.place && !['relay', 'vpn', 'proxy', 'tor', 'hosting'].includes(e.place.ipType ?? '') ? e.place : null;
  return place && { latitude: place.latitude, longitude: place.longitude, accuracyKm: place.accuracyKm, precision: place.precision };
}

/** A sighting is moved at most once a minute: its readers look back days (retention, 90 days), not seconds. */
const SIGHTING_MS = 60_000;

const stale = (lastSeenAt: number | null | undefined, now: number) => lastSeenAt === undefined || lastSeenAt === null || now - lastSeenAt >= SIGHTING_MS;

/** Which of the rows that only say "seen, and when" the evaluation writes (`sightingsDue`). */
interface SightingsDue {
  /** The fingerprint's own row: upserted, or named by the id the history found. */
  fingerprint: boolean;
  userFingerprint: boolean;
  ip: boolean;
  origin: boolean;
}

/**
 * Which sightings the evaluation writes. One last written within the minute is not written again: a
 * user's page views and checks come seconds apart, and each rewrote the user's IP and fingerprint rows
 * and the fingerprint's (a row version, its index entries and a page of log each) only to move a time
 * whose readers (`is_new_ip`, the counts of users within retention, retention itself) look back days.
 * The origin's row was also the one row nearly all of a site's browser evaluations wrote, each waiting
 * on its lock for the one before to commit. What changes more than the time is always written: a new
 * row, a fingerprint now used with another device (re-linking reads it). The device's sightings are
 * always written: logging a device out compares its last-seen time with the log-out's.
 */
export function sightingsDue(e: NewEvaluation): SightingsDue {
  const seen = e.lastSightings;
  const fingerprint = e.fingerprintHash !== null;
  return {
    fingerprint: fingerprint && stale(seen?.fingerprint, e.now),
    userFingerprint: fingerprint && (stale(seen?.userFingerprint, e.now) || (deviceWriteOf(e) !== 'none' && seen?.userFingerprintDeviceId !== e.deviceId)),
    ip: e.ip !== null && stale(seen?.ip, e.now),
    origin: e.origin !== null && stale(seen?.origin, e.now),
  };
}

const noPlace: DevicePlace = { latitude: null, longitude: null, accuracyKm: null, precision: null };

/**
 * What the evaluation writes, a statement at a time (SQLite, where a statement costs no round trip):
 * the user, the device, the fingerprint, the sightings, the evaluation, the origin.
 */
async function writeOneByOne(db: Kysely<Database>, e: NewEvaluation, contactRule: ContactRule, row: EvaluationRow, learned: PlannedFamiliarSet | null): Promise<Written> {
  const user = await upsertUser(`${contactRule}:${learningOf(learned)}`).first(db, { ...userParamsOf(e), ...familiarSetParamsOf(learned) });
  if (!user) throw new Error('user upsert returned no row');
  const due = sightingsDue(e);
  const deviceId = await sightedDevice(db, e);
  const fingerprintId = !e.fingerprintHash
    ? null
    : due.fingerprint
      ? ((await upsertFingerprint.first(db, { id: e.fingerprintId ?? newId('fp', e.now), projectId: e.projectId, hash: e.fingerprintHash, now: e.now }))?.id ?? null)
      : e.fingerprintId;
  const seen = { projectId: e.projectId, userId: user.id, now: e.now };
  if (deviceId) {
    const personal = personalPlaceOf(e);
    await sightDevice(personal ? 'located' : 'unlocated').run(db, { ...seen, deviceId, ...(personal ?? noPlace) });
  }
  if (fingerprintId && due.userFingerprint) await sightFingerprint(deviceId ? 'with_device' : 'without_device').run(db, { ...seen, fingerprintId, deviceId: deviceId ?? '' });
  if (e.ip && due.ip) await sightIp.run(db, { ...seen, ip: e.ip });
  await insertEvaluation.run(db, { e: row, userId: user.id, deviceId, fingerprintId });
  if (e.origin && due.origin) await sightOrigin.run(db, { projectId: e.projectId, origin: e.origin, now: e.now });
  return { user, deviceId, fingerprintId };
}

/**
 * How the evaluation's device is written: none (no cookie, nothing re-linked), named without a write (a
 * backend's evaluation re-linked by fingerprint), re-linked to the browser's new cookie, or upserted by
 * its cookie (created when new).
 */
type DeviceWrite = 'none' | 'named' | 'relink' | 'upsert';

function deviceWriteOf(e: NewEvaluation): DeviceWrite {
  if (e.relinkedDevice && e.deviceId) return e.deviceCookieId ? 'relink' : 'named';
  return e.deviceCookieId ? 'upsert' : 'none';
}

const learningOf = (learned: PlannedFamiliarSet | null): Learning => (learned === null ? 'reads' : 'learns');

const unlearned: FamiliarSetParams = { familiarityRead: null, familiarityNext: '', familiarityFirst: null };
/** A new user starts with what was learned from nothing; one the history found keeps theirs if the row went. */
const familiarSetParamsOf = (learned: PlannedFamiliarSet | null): FamiliarSetParams =>
  learned === null ? unlearned : { familiarityRead: learned.read, familiarityNext: learned.next, familiarityFirst: learned.read === null ? learned.next : null };

const userParamsOf = (e: NewEvaluation): UserParams => ({
  id: newId('us', e.now),
  projectId: e.projectId,
  externalId: e.user.externalId,
  email: e.user.email,
  phone: e.user.phone,
  now: e.now,
});

/** The shape of the one statement: what the evaluation has decides which parts it holds. */
interface WriteShape {
  contact: ContactRule;
  learning: Learning;
  device: DeviceWrite;
  place: PlaceKind;
  /** The fingerprint's row upserted, named by the id the history found (its sighting is recent), or none. */
  fingerprint: 'upsert' | 'named' | 'none';
  userFingerprint: boolean;
  ip: boolean;
  origin: boolean;
}

const shapes = new Map<string, WriteShape>();
function shapeKey(shape: WriteShape): string {
  const key = `${shape.contact}:${shape.learning}:${shape.device}:${shape.place}:${shape.fingerprint}:${Number(shape.userFingerprint)}${Number(shape.ip)}${Number(shape.origin)}`;
  if (!shapes.has(key)) shapes.set(key, shape);
  return key;
}

type AtOnceParams = {
  userNewId: string;
  projectId: string;
  externalId: string;
  email: string | null;
  phone: string | null;
  now: number;
  deviceId: string;
  cookieId: string;
  userAgent: string | null;
  deviceClass: string | null;
  fingerprintId: string;
  fingerprintHash: string;
  ip: string;
  origin: string;
  /** The evaluation's own columns, read by dotted names (`e.id`): given as they are, not copied. */
  e: EvaluationRow;
} & FamiliarSetParams &
  DevicePlace;

type WrittenRow = { id: string; email: string | null; phone: string | null; familiarity: string | null; device_id: string | null; fingerprint_id: string | null };

/**
 * Everything the evaluation writes before its effects as one statement on PostgreSQL: data-modifying
 * CTEs, each part taking the ids the parts before it returned (`(select id from u)`). Each statement
 * is a round trip that costs both sides a socket write and a wake-up (a third of the node's CPU per
 * evaluation went to `writev`): one instead of up to eight. The parts are the very builders SQLite runs
 * one at a time, so both write the same rows. Foreign keys are checked at the statement's end, when the
 * user, device and fingerprint it inserted are there.
 */
const writeAtOnce = hotVariants<string, AtOnceParams, WrittenRow>((db, p, key) => {
  const shape = shapes.get(key)!;
  const { userNewId: id, projectId, externalId, email, phone, now, familiarityRead, familiarityNext, familiarityFirst } = p;
  const user = { id, projectId, externalId, email, phone, now, familiarityRead, familiarityNext, familiarityFirst };
  const parts = [sql`u as (${userUpsert(db, user, shape.contact, shape.learning)})`];
  const userId = sql<string>`(select id from u)`;
  let deviceId: Id | null = null;
  if (shape.device === 'upsert') {
    parts.push(sql`d as (${deviceUpsert(db, { id: p.deviceId, projectId: p.projectId, cookieId: p.cookieId, userAgent: p.userAgent, deviceClass: p.deviceClass, now: p.now })})`);
    deviceId = sql<string>`(select id from d)`;
  } else if (shape.device === 'relink') {
    parts.push(sql`d as (${deviceRelink(db, { deviceId: p.deviceId, cookieId: p.cookieId, now: p.now })})`);
    deviceId = p.deviceId;
  } else if (shape.device === 'named') deviceId = p.deviceId;
  let fingerprintId: Id | null = null;
  if (shape.fingerprint === 'upsert') {
    parts.push(sql`f as (${fingerprintUpsert(db, { id: p.fingerprintId, projectId: p.projectId, hash: p.fingerprintHash, now: p.now })})`);
    fingerprintId = sql<string>`(select id from f)`;
  } else if (shape.fingerprint === 'named') fingerprintId = p.fingerprintId;
  const seen = { projectId: p.projectId, userId, now: p.now };
  const place = { latitude: p.latitude, longitude: p.longitude, accuracyKm: p.accuracyKm, precision: p.precision };
  if (deviceId !== null) parts.push(sql`sd as (${deviceSighting(db, { ...seen, deviceId, ...place }, shape.place)})`);
  if (fingerprintId !== null && shape.userFingerprint) parts.push(sql`sf as (${fingerprintSighting(db, { ...seen, fingerprintId, deviceId })})`);
  if (shape.ip) parts.push(sql`si as (${ipSighting(db, { ...seen, ip: p.ip })})`);
  const values = evaluationValuesOf(p, { user_id: userId, device_id: deviceId ?? sql<null>`null`, fingerprint_id: fingerprintId ?? sql<null>`null` });
  parts.push(sql`e as (${evaluationInsert(db, values)})`);
  if (shape.origin) parts.push(sql`o as (${originSighting(db, { projectId: p.projectId, origin: p.origin, now: p.now })})`);
  const statement = sql<WrittenRow>`with ${sql.join(parts)} select u.id, u.email, u.phone, u.familiarity, ${deviceId ?? sql`null`} as device_id, ${fingerprintId ?? sql`null`} as fingerprint_id from u`;
  return { compile: () => statement.compile(db) };
});

async function writeInOneStatement(db: Kysely<Database>, e: NewEvaluation, contact: ContactRule, row: EvaluationRow, learned: PlannedFamiliarSet | null): Promise<Written> {
  const personal = personalPlaceOf(e);
  const device = deviceWriteOf(e);
  const due = sightingsDue(e);
  const key = shapeKey({
    contact,
    learning: learningOf(learned),
    device,
    place: personal ? 'located' : 'unlocated',
    fingerprint: e.fingerprintHash === null ? 'none' : due.fingerprint ? 'upsert' : 'named',
    userFingerprint: due.userFingerprint,
    ip: due.ip,
    origin: due.origin,
  });
  const place = personal ?? noPlace;
  const familiar = familiarSetParamsOf(learned);
  // One object literal of fixed shape, the row given whole: spreading these into one object of sixty
  // keys cost 5 % of the node's CPU per evaluation.
  const written = await writeAtOnce(key).first(db, {
    userNewId: newId('us', e.now),
    projectId: e.projectId,
    externalId: e.user.externalId,
    email: e.user.email,
    phone: e.user.phone,
    now: e.now,
    deviceId: e.deviceId ?? newId('dv', e.now),
    cookieId: e.deviceCookieId ?? '',
    userAgent: e.userAgent,
    deviceClass: e.deviceClass,
    fingerprintId: e.fingerprintId ?? newId('fp', e.now),
    fingerprintHash: e.fingerprintHash ?? '',
    latitude: place.latitude,
    longitude: place.longitude,
    accuracyKm: place.accuracyKm,
    precision: place.precision,
    ip: e.ip ?? '',
    origin: e.origin ?? '',
    familiarityRead: familiar.familiarityRead,
    familiarityNext: familiar.familiarityNext,
    familiarityFirst: familiar.familiarityFirst,
    e: row,
  });
  if (!written) throw new Error("the evaluation's writes returned no row");
  return {
    user: { id: written.id, email: written.email, phone: written.phone, familiarity: written.familiarity },
    deviceId: device === 'none' ? null : written.device_id,
    fingerprintId: written.fingerprint_id,
  };
}

/**
 * Records an evaluation and what it saw (user, device, fingerprint, IP), then the decision's effects, on
 * `db`: the caller gives a transaction, so that the next evaluation's history includes all of this one,
 * or none of it. Races between two requests of one user are settled by unique keys and upserts.
 */
export async function recordEvaluation(db: Kysely<Database>, e: NewEvaluation): Promise<EvaluationRecord> {
  const contactRule: ContactRule = e.channel === 'server' && e.environment === 'production' ? 'vouched' : 'evidence';
  const own = evaluationRowOf(e);
  const onPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const planned = plannedFamiliarSet(e);
  const learned = planned === 'unchanged' ? null : planned;
  const { user, deviceId, fingerprintId } = await (onPostgres ? writeInOneStatement : writeOneByOne)(db, e, contactRule, own, learned);
  const row: EvaluationTable = { ...own, user_id: user.id, device_id: deviceId, fingerprint_id: fingerprintId };
  await applyEffects(db, e, user, deviceId, fingerprintId, planned);
  // What was stored, from the values in hand rather than parsed back from the JSON just written.
  return recordOf(row, { ipInfo: e.ipInfo, metadata: e.metadata, policy: e.policy, challenge: e.challenge, risks: e.risks, checks: e.checks, reasons: e.reasons });
}

/** The evaluation's device, as `deviceWriteOf` says it is written; none for a backend's evaluation that re-linked nothing. */
async function sightedDevice(db: Kysely<Database>, e: NewEvaluation): Promise<string | null> {
  switch (deviceWriteOf(e)) {
    case 'none':
      return null;
    case 'named':
      return e.deviceId;
    case 'relink':
      await relinkDevice.run(db, { deviceId: e.deviceId!, cookieId: e.deviceCookieId!, now: e.now });
      return e.deviceId;
    case 'upsert': {
      const row = await upsertDevice.first(db, {
        id: e.deviceId ?? newId('dv', e.now),
        projectId: e.projectId,
        cookieId: e.deviceCookieId!,
        userAgent: e.userAgent,
        deviceClass: e.deviceClass,
        now: e.now,
      });
      return row?.id ?? null;
    }
  }
}
