import { type DeviceActivity, type DeviceClass, type GeoLocation, type HistorySnapshot, type LocatedEvaluation, MAX_SUPPRESSION_DAYS, type PassedChallenge } from '@vigil/core';
import { type Expression, type Kysely, sql } from 'kysely';
import { parsedProfile } from '../parsed-profile.js';
import { hot, hotVariants } from '../../hot/compiled.js';
import type { Database, DeviceTable, EvaluationTable, UserDeviceTable } from '../../schema.js';
import type { UserRow } from './resolve-ids.js';
import { DAY_MS, type HistoryKey, type KnownIds } from './types.js';

/**
 * How far back another device's activity can matter for concurrent sessions: the longest session window
 * a project may set. (The decision applies the project's own window; this only decides whether to look.)
 */
const SESSION_LOOKBACK_MS = 60 * 60_000;

function location(lat: number | null, lon: number | null, accuracyKm: number | null, precision: string | null): GeoLocation | null {
  if (lat === null || lon === null) return null;
  return { latitude: lat, longitude: lon, accuracyKm: accuracyKm ?? 100, precision: precision === 'country' ? 'country' : 'city' };
}

/** One of the user's devices, as stored. */
export type DeviceRow = Pick<DeviceTable, 'id' | 'device_class'> &
  Pick<UserDeviceTable, 'first_seen_at' | 'last_seen_at' | 'last_latitude' | 'last_longitude' | 'last_accuracy_km' | 'last_geo_precision'>;

/**
 * The user's devices seen within retention, newest first: `userId` a value, or (in resolve-ids.ts's one
 * statement on PostgreSQL) the column of the user it joined.
 */
export function userDevices(db: Kysely<Database>, p: { userId: string | Expression<string>; since: number | Expression<number> }) {
  return (
    db
      .selectFrom('user_devices')
      .innerJoin('devices', 'devices.id', 'user_devices.device_id')
      .select([
        'devices.id',
        'devices.device_class',
        'user_devices.first_seen_at',
        'user_devices.last_seen_at',
        'user_devices.last_latitude',
        'user_devices.last_longitude',
        'user_devices.last_accuracy_km',
        'user_devices.last_geo_precision',
      ])
      .where('user_devices.user_id', '=', p.userId)
      .where('user_devices.last_seen_at', '>=', p.since)
      // A device logged out by a device-limit challenge no longer counts until it is used again.
      .where((eb) => eb.or([eb('user_devices.logged_out_at', 'is', null), eb('user_devices.last_seen_at', '>', eb.ref('user_devices.logged_out_at'))]))
      .orderBy('user_devices.last_seen_at', 'desc')
      // A literal: SQLite sorts with a bound LIMIT several times slower than with a literal one.
      .limit(sql.lit(200))
  );
}
const devicesOfUser = hot<{ userId: string; since: number }, DeviceRow>((db, p) => userDevices(db, p));

const recentOnDevice = hot<{ userId: string; deviceId: string; from: number; to: number }, { created_at: number }>((db, p) =>
  db
    .selectFrom('evaluations')
    .select('created_at')
    .where('user_id', '=', p.userId)
    .where('device_id', '=', p.deviceId)
    .where('created_at', '>=', p.from)
    .where('created_at', '<=', p.to)
    .orderBy('created_at', 'desc')
    // A literal: SQLite sorts with a bound LIMIT several times slower than with a literal one.
    .limit(sql.lit(200)),
);

const conflictsOfUser = hot<{ userId: string }, { device_a: string; device_b: string }>((db, p) =>
  db.selectFrom('device_conflicts').select(['device_a', 'device_b']).where('user_id', '=', p.userId),
);

const located = hotVariants<
  'before' | 'after',
  { userId: string; now: number },
  Pick<EvaluationTable, 'created_at' | 'latitude' | 'longitude' | 'accuracy_km' | 'geo_precision' | 'country' | 'ip_type' | 'device_id'>
>((db, p, side) =>
  db
    .selectFrom('evaluations')
    .select(['created_at', 'latitude', 'longitude', 'accuracy_km', 'geo_precision', 'country', 'ip_type', 'device_id'])
    .where('user_id', '=', p.userId)
    .where('latitude', 'is not', null)
    .where('created_at', side === 'before' ? '<=' : '>', p.now)
    .orderBy('created_at', side === 'before' ? 'desc' : 'asc')
    .limit(sql.lit(1)),
);

async function locatedNeighbour(db: Kysely<Database>, userId: string, now: number, side: 'before' | 'after'): Promise<LocatedEvaluation | null> {
  const row = await located(side).first(db, { userId, now });
  const place = row && location(row.latitude, row.longitude, row.accuracy_km, row.geo_precision);
  if (!row || !place) return null;
  return { at: row.created_at, location: place, country: row.country, relay: row.ip_type === 'relay', deviceId: row.device_id };
}

/** This device's verifications this user passed within the longest suppression, newest first (rare: not compiled). */
async function passedChallenges(db: Kysely<Database>, userId: string, ids: KnownIds, now: number): Promise<PassedChallenge[]> {
  const rows = await db
    .selectFrom('challenges')
    .select(['challenges.id', 'challenges.policy_id', 'challenges.reasons', 'challenges.updated_at'])
    .where('challenges.user_id', '=', userId)
    .where('challenges.status', '=', 'completed')
    .where('challenges.method', '=', 'verification')
    // By its device id, or by its fingerprint for server-side evaluations, which have no device cookie.
    .where((eb) =>
      eb.or([
        ...(ids.deviceId === null ? [] : [eb('challenges.device_id', '=', ids.deviceId)]),
        ...(ids.fingerprintId === null ? [] : [eb('challenges.fingerprint_id', '=', ids.fingerprintId)]),
      ]),
    )
    .where('challenges.updated_at', '>', now - MAX_SUPPRESSION_DAYS * DAY_MS)
    .orderBy('challenges.updated_at', 'desc')
    .limit(20)
    .execute();
  return rows.map((r) => ({ id: r.id, method: 'verification', policyId: r.policy_id, reasons: parseReasons(r.reasons), passedAt: Number(r.updated_at) }));
}

export function recentlyPassed(
  db: Kysely<Database>,
  userId: string | null,
  ids: KnownIds,
  lastPassedAt: number | null,
  now: number,
): Promise<PassedChallenge[]> | PassedChallenge[] {
  return lastPassedAt !== null && lastPassedAt > now - MAX_SUPPRESSION_DAYS * DAY_MS && userId !== null ? passedChallenges(db, userId, ids, now) : [];
}

export type UserHistory = Pick<HistorySnapshot, 'devices' | 'deviceRecentActivity' | 'deviceConflicts' | 'locatedBefore' | 'locatedAfter' | 'familiarity'>;

/**
 * What a known user did before: their other devices, this device's recent activity when another one
 * was active within a session window, conflicts between their devices, and where they were. Queries
 * whose answer is already known are skipped: this runs on every evaluation.
 */
export async function userHistory(
  db: Kysely<Database>,
  key: HistoryKey,
  ids: KnownIds & { userId: string },
  user: UserRow,
  /** The user's devices, when known already (on PostgreSQL read with the ids; on SQLite none for a user who never had one). */
  read: DeviceRow[] | null,
): Promise<UserHistory> {
  const userId = ids.userId;
  const deviceRows = read ?? (await devicesOfUser.rows(db, { userId, since: key.now - key.retentionMs }));
  const devices: DeviceActivity[] = deviceRows
    .filter((d) => d.id !== ids.deviceId)
    .map((d) => ({
      deviceId: d.id,
      deviceClass: d.device_class as DeviceClass | null,
      firstSeenAt: d.first_seen_at,
      lastSeenAt: d.last_seen_at,
      lastLocation: location(d.last_latitude, d.last_longitude, d.last_accuracy_km, d.last_geo_precision),
    }));
  // Session start matters only when another device was active within the session window.
  const windowStart = key.now - SESSION_LOOKBACK_MS;
  const recent =
    ids.deviceId && devices.some((d) => d.lastSeenAt >= windowStart) ? await recentOnDevice.rows(db, { userId, deviceId: ids.deviceId, from: key.now - DAY_MS, to: key.now }) : [];
  // Conflicts are between two of the user's devices: none to find with a single device.
  const conflicts = devices.length > 0 ? await conflictsOfUser.rows(db, { userId }) : [];
  // A later located evaluation exists only for an out-of-order arrival (the user was seen after now).
  const locatedAfter = user.last_seen_at > key.now ? await locatedNeighbour(db, userId, key.now, 'after') : null;
  const familiarity = parsedProfile(user.familiarity, userId);
  // The place before is the last trusted login's: an attacker's login abroad does not become the
  // place the owner's next login is compared with. A user learned nothing of yet (an evaluation
  // recorded before familiarity existed) is compared with their last located evaluation, as before.
  const locatedBefore = familiarity && familiarity.trustedLogins > 0 ? familiarity.place : await locatedNeighbour(db, userId, key.now, 'before');
  return {
    devices,
    deviceRecentActivity: recent.map((r) => r.created_at),
    deviceConflicts: conflicts.map((c): [string, string] => [c.device_a, c.device_b]),
    locatedBefore,
    locatedAfter,
    familiarity,
  };
}

function parseReasons(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((r): r is string => typeof r === 'string') : [];
  } catch {
    return [];
  }
}
