import { type Kysely, PostgresAdapter } from 'kysely';
import { newId } from '../../ids.js';
import { frozenJson, toJson } from '../../json.js';
import { risksJson } from '../../json-writers.js';
import { riskFlags } from '../../risk-flags.js';
import type { Database } from '../../schema.js';
import { applyEffects } from './effects.js';
import { learnsNothing, type PlannedFamiliarSet, plannedFamiliarSet } from './familiar-set.js';
import {
  type ContactRule,
  type DevicePlace,
  type FamiliarSetParams,
  insertEvaluation,
  type Learning,
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
} from './statements.js';
import { type EvaluationRecord, type NewEvaluation, recordOf } from './types.js';
import { type DeviceWrite, type EvaluationRow, shapeKey, type WriteAtOnce, writingEach } from './write-at-once.js';

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
    risks: risksJson(e.risks),
    risk_flags: riskFlags(e.risks),
    checks: toJson(e.checks),
    reasons: toJson(e.reasons),
    latitude: e.place?.latitude ?? null,
    longitude: e.place?.longitude ?? null,
    accuracy_km: e.place?.accuracyKm ?? null,
    geo_precision: e.place?.precision ?? null,
    country: e.place?.country ?? null,
    ip_type: e.place?.ipType ?? null,
    ip_info: e.ipInfo === null ? null : frozenJson(e.ipInfo),
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

/**
 * The user's row as the history read it, when this evaluation would change nothing of it but a last-seen
 * time moved under a minute ago: the row is then not written again (null: it is). Like a sighting's, the
 * user's last-seen time is read over days (the dashboard's users, retention), and a user's page views
 * and checks, seconds apart, each rewrote the row (a row version, a page of log) only to move it. The
 * row is written whenever more would change: a contact the channel may set (SPEC's contact rules), a
 * familiar set learned, or a challenge opened (its codes go to the contact as the upsert leaves it,
 * read under the row's lock).
 */
export function unchangedUser(e: NewEvaluation, contactRule: ContactRule, planned: PlannedFamiliarSet | 'unchanged' | null): UpsertedUser | null {
  const seen = e.lastSightings?.user;
  if (!seen || stale(seen.lastSeenAt, e.now) || !learnsNothing(e, planned)) return null;
  if (e.effects.some((effect) => effect.type === 'open_challenge')) return null;
  // Whether the upsert's contact rules (statements.ts, `userUpsert`) would leave the contact as it is.
  const { email, phone } = e.user;
  const contactKept =
    contactRule === 'vouched'
      ? (email === null || email === seen.email) && (phone === null || phone === seen.phone)
      : seen.email !== null || seen.phone !== null || (email === null && phone === null);
  return contactKept ? seen : null;
}

const noPlace: DevicePlace = { latitude: null, longitude: null, accuracyKm: null, precision: null };

/**
 * What the evaluation writes, a statement at a time (SQLite, where a statement costs no round trip):
 * the user, the device, the fingerprint, the sightings, the evaluation, the origin.
 */
async function writeOneByOne(
  db: Kysely<Database>,
  e: NewEvaluation,
  contactRule: ContactRule,
  row: EvaluationRow,
  learned: PlannedFamiliarSet | null,
  unchanged: UpsertedUser | null,
): Promise<Written> {
  const user = unchanged ?? (await upsertUser(`${contactRule}:${learningOf(learned)}`).first(db, userParamsOf(e, learned)));
  if (!user) throw new Error('user upsert returned no row');
  const due = sightingsDue(e);
  const deviceId = await sightedDevice(db, e);
  const fingerprintId = !e.fingerprintHash
    ? null
    : due.fingerprint
      ? ((await upsertFingerprint.first(db, { id: e.fingerprintId ?? newId('fp', e.now), projectId: e.projectId, hash: e.fingerprintHash, now: e.now }))?.id ?? null)
      : e.fingerprintId;
  // Each statement's values as one literal, not spread from what they share (docs/architecture.md,
  // "Object spreads").
  const { projectId, now } = e;
  const userId = user.id;
  if (deviceId) {
    const personal = personalPlaceOf(e);
    const { latitude, longitude, accuracyKm, precision } = personal ?? noPlace;
    await sightDevice(personal ? 'located' : 'unlocated').run(db, { projectId, userId, now, deviceId, latitude, longitude, accuracyKm, precision });
  }
  if (fingerprintId && due.userFingerprint)
    await sightFingerprint(deviceId ? 'with_device' : 'without_device').run(db, { projectId, userId, now, fingerprintId, deviceId: deviceId ?? '' });
  if (e.ip && due.ip) await sightIp.run(db, { projectId, userId, now, ip: e.ip });
  await insertEvaluation.run(db, { e: row, userId, deviceId, fingerprintId });
  if (e.origin && due.origin) await sightOrigin.run(db, { projectId, origin: e.origin, now });
  return { user, deviceId, fingerprintId };
}

function deviceWriteOf(e: NewEvaluation): DeviceWrite {
  if (e.relinkedDevice && e.deviceId) return e.deviceCookieId ? 'relink' : 'named';
  return e.deviceCookieId ? 'upsert' : 'none';
}

const learningOf = (learned: PlannedFamiliarSet | null): Learning => (learned === null ? 'reads' : 'learns');

const unlearned: FamiliarSetParams = { familiarityRead: null, familiarityNext: '', familiarityFirst: null };
/** A new user starts with what was learned from nothing; one the history found keeps theirs if the row went. */
const familiarSetParamsOf = (learned: PlannedFamiliarSet | null): FamiliarSetParams =>
  learned === null ? unlearned : { familiarityRead: learned.read, familiarityNext: learned.next, familiarityFirst: learned.read === null ? learned.next : null };

const userParamsOf = (e: NewEvaluation, learned: PlannedFamiliarSet | null): UserParams & FamiliarSetParams => {
  const familiar = familiarSetParamsOf(learned);
  return {
    id: newId('us', e.now),
    projectId: e.projectId,
    externalId: e.user.externalId,
    email: e.user.email,
    phone: e.user.phone,
    now: e.now,
    familiarityRead: familiar.familiarityRead,
    familiarityNext: familiar.familiarityNext,
    familiarityFirst: familiar.familiarityFirst,
  };
};

async function writeInOneStatement(
  write: WriteAtOnce,
  e: NewEvaluation,
  contact: ContactRule,
  row: EvaluationRow,
  learned: PlannedFamiliarSet | null,
  unchanged: UpsertedUser | null,
): Promise<Written> {
  const personal = personalPlaceOf(e);
  const device = deviceWriteOf(e);
  const due = sightingsDue(e);
  const key = shapeKey({
    user: unchanged === null ? 'upsert' : 'named',
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
  const written = await write(key, {
    userNewId: newId('us', e.now),
    userId: unchanged?.id ?? '',
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
    user: unchanged ?? { id: written.id, email: written.email, phone: written.phone, familiarity: written.familiarity },
    deviceId: device === 'none' ? null : written.device_id,
    fingerprintId: written.fingerprint_id,
  };
}

/**
 * Records an evaluation and what it saw (user, device, fingerprint, IP), then the decision's effects, on
 * `db`: the caller gives a transaction, so that the next evaluation's history includes all of this one,
 * or none of it. Races between two requests of one user are settled by unique keys and upserts.
 */
export async function recordEvaluation(db: Kysely<Database>, e: NewEvaluation, write: WriteAtOnce = writingEach(db)): Promise<EvaluationRecord> {
  const contactRule: ContactRule = e.channel === 'server' && e.environment === 'production' ? 'vouched' : 'evidence';
  const own = evaluationRowOf(e);
  const onPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const planned = plannedFamiliarSet(e);
  const learned = planned === 'unchanged' ? null : planned;
  const unchanged = unchangedUser(e, contactRule, planned);
  const { user, deviceId, fingerprintId } = onPostgres
    ? await writeInOneStatement(write, e, contactRule, own, learned, unchanged)
    : await writeOneByOne(db, e, contactRule, own, learned, unchanged);
  await applyEffects(db, e, user, deviceId, fingerprintId, planned);
  // What was stored, from the values in hand rather than parsed back from the JSON just written.
  const ids = { user_id: user.id, device_id: deviceId, fingerprint_id: fingerprintId };
  return recordOf(own, ids, { ipInfo: e.ipInfo, metadata: e.metadata, policy: e.policy, challenge: e.challenge, risks: e.risks, checks: e.checks, reasons: e.reasons });
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
