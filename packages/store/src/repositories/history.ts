import {
  type DeviceActivity,
  type DeviceClass,
  emptyHistory,
  type GeoLocation,
  type HistorySnapshot,
  type LocatedEvaluation,
  MAX_SUPPRESSION_DAYS,
  type PassedChallenge,
  parseProfile,
} from '@vigil/core';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.js';

/** One `event_count` the policies ask for: evaluations of `action` (`*`: any) in the window, by whom. */
export interface EventCountQuery {
  key: string;
  action: string;
  windowMs: number;
  by: 'user' | 'ip' | 'fingerprint' | 'device';
}

export interface HistoryKey {
  projectId: string;
  userExternalId: string;
  ip: string | null;
  fingerprintHash: string | null;
  deviceCookieId: string | null;
  origin: string | null;
  eventCounts: EventCountQuery[];
  now: number;
  retentionMs: number;
}

/** The ids the store already has for this evaluation's user, device and fingerprint (null: new). */
export interface KnownIds {
  userId: string | null;
  deviceId: string | null;
  fingerprintId: string | null;
  /**
   * The device was found by its fingerprint, not its cookie: a browser whose storage was cleared, or a
   * backend evaluating with `Vigil.getHash()`. The caller gives the device the new cookie, if any.
   */
  relinked?: boolean;
}

const DAY_MS = 86_400_000;
/**
 * How far back another device's activity can matter for concurrent sessions: the longest session window
 * a project may set. (The decision applies the project's own window; this only decides whether to look.)
 */
const SESSION_LOOKBACK_MS = 60 * 60_000;

function location(lat: number | null, lon: number | null, accuracyKm: number | null, precision: string | null): GeoLocation | null {
  if (lat === null || lon === null) return null;
  return { latitude: lat, longitude: lon, accuracyKm: accuracyKm ?? 100, precision: precision === 'country' ? 'country' : 'city' };
}

/** What the decision needs to know about a user's past, read before deciding (no lock held across it). */
export function historyRepository(db: Kysely<Database>) {
  async function userRow(key: HistoryKey) {
    return db
      .selectFrom('users')
      .select((eb) => [
        'users.id',
        'users.first_seen_at',
        'users.last_seen_at',
        'users.is_email_verified',
        'users.is_phone_verified',
        'users.is_suspended',
        'users.familiarity',
        key.ip === null
          ? sql<number | null>`null`.as('ip_last_seen_at')
          : eb.selectFrom('user_ips').select('user_ips.last_seen_at').whereRef('user_ips.user_id', '=', 'users.id').where('user_ips.ip', '=', key.ip).as('ip_last_seen_at'),
        key.fingerprintHash === null
          ? sql<number | null>`null`.as('fingerprint_last_seen_at')
          : eb
              .selectFrom('user_fingerprints')
              .innerJoin('fingerprints', 'fingerprints.id', 'user_fingerprints.fingerprint_id')
              .select('user_fingerprints.last_seen_at')
              .whereRef('user_fingerprints.user_id', '=', 'users.id')
              .where('fingerprints.project_id', '=', key.projectId)
              .where('fingerprints.hash', '=', key.fingerprintHash)
              .as('fingerprint_last_seen_at'),
        key.deviceCookieId === null
          ? sql<number | null>`null`.as('device_last_seen_at')
          : eb
              .selectFrom('user_devices')
              .innerJoin('devices', 'devices.id', 'user_devices.device_id')
              .select('user_devices.last_seen_at')
              .whereRef('user_devices.user_id', '=', 'users.id')
              .where('devices.project_id', '=', key.projectId)
              .where('devices.cookie_id', '=', key.deviceCookieId)
              .as('device_last_seen_at'),
      ])
      .where('users.project_id', '=', key.projectId)
      .where('users.external_id', '=', key.userExternalId)
      .executeTakeFirst();
  }

  async function knownIds(key: HistoryKey): Promise<Omit<KnownIds, 'userId'>> {
    const device = key.deviceCookieId
      ? await db.selectFrom('devices').select('id').where('project_id', '=', key.projectId).where('cookie_id', '=', key.deviceCookieId).executeTakeFirst()
      : undefined;
    const fingerprint = key.fingerprintHash
      ? await db.selectFrom('fingerprints').select('id').where('project_id', '=', key.projectId).where('hash', '=', key.fingerprintHash).executeTakeFirst()
      : undefined;
    return { deviceId: device?.id ?? null, fingerprintId: fingerprint?.id ?? null };
  }

  /**
   * In one statement: distinct users, this one included, seen with this fingerprint / device / IP within
   * retention, when the project last saw the origin, and the user's failed challenges of the last day.
   */
  async function counters(key: HistoryKey, ids: KnownIds) {
    const since = key.now - key.retentionMs;
    const others = <T extends 'user_fingerprints' | 'user_devices' | 'user_ips'>(table: T) =>
      db
        .selectFrom(table as 'user_ips')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('last_seen_at', '>=', since)
        .where('user_id', '!=', ids.userId ?? '');
    const row = await db
      .selectNoFrom((eb) => [
        ids.fingerprintId === null ? sql<number | null>`null`.as('fingerprints') : others('user_fingerprints').where(sql.ref('fingerprint_id'), '=', ids.fingerprintId).as('fingerprints'),
        ids.deviceId === null ? sql<number | null>`null`.as('devices') : others('user_devices').where(sql.ref('device_id'), '=', ids.deviceId).as('devices'),
        key.ip === null ? sql<number | null>`null`.as('ips') : others('user_ips').where('project_id', '=', key.projectId).where('ip', '=', key.ip).as('ips'),
        key.origin === null
          ? sql<number | null>`null`.as('origin_last_seen_at')
          : eb.selectFrom('project_origins').select('last_seen_at').where('project_id', '=', key.projectId).where('origin', '=', key.origin).as('origin_last_seen_at'),
        ids.userId === null
          ? sql<number | null>`null`.as('failed')
          : eb
              .selectFrom('challenges')
              .select((c) => c.fn.countAll<number>().as('n'))
              .where('user_id', '=', ids.userId)
              .where('status', '=', 'failed')
              .where('updated_at', '>', key.now - DAY_MS)
              .as('failed'),
        // When a verification on this device last passed: the challenges are read only when one did.
        ids.userId === null || (ids.deviceId === null && ids.fingerprintId === null)
          ? sql<number | null>`null`.as('last_passed')
          : passedOnThisDevice(ids.userId, ids)
              .select((c) => c.fn.max('challenges.updated_at').as('at'))
              .as('last_passed'),
      ])
      .executeTakeFirstOrThrow();
    const plusThis = (n: number | null, known: boolean, present: boolean) => (known ? Number(n) + 1 : present ? 1 : null);
    return {
      fingerprintUserCount: plusThis(row.fingerprints, ids.fingerprintId !== null, key.fingerprintHash !== null),
      deviceUserCount: plusThis(row.devices, ids.deviceId !== null, key.deviceCookieId !== null),
      ipUserCount: key.ip === null ? null : Number(row.ips) + 1,
      originLastSeenAt: row.origin_last_seen_at ?? null,
      failedChallengesLastDay: Number(row.failed ?? 0),
      lastPassedAt: row.last_passed === null || row.last_passed === undefined ? null : Number(row.last_passed),
    };
  }

  /**
   * The user's passed verifications on this device: by its device id, or by its fingerprint for
   * server-side evaluations, which have no device cookie (the v2 flow sends only the fingerprint).
   */
  function passedOnThisDevice(userId: string, ids: Pick<KnownIds, 'deviceId' | 'fingerprintId'>) {
    return db
      .selectFrom('challenges')
      .innerJoin('evaluations', 'evaluations.id', 'challenges.evaluation_id')
      .where('challenges.user_id', '=', userId)
      .where('challenges.status', '=', 'completed')
      .where('challenges.method', '=', 'verification')
      .where((eb) =>
        eb.or([
          ...(ids.deviceId === null ? [] : [eb('challenges.device_id', '=', ids.deviceId)]),
          ...(ids.fingerprintId === null ? [] : [eb('evaluations.fingerprint_id', '=', ids.fingerprintId)]),
        ]),
      );
  }

  /** This device's verifications this user passed within the longest suppression, newest first. */
  async function passedChallenges(userId: string, ids: KnownIds, now: number): Promise<PassedChallenge[]> {
    const rows = await passedOnThisDevice(userId, ids)
      .select(['challenges.id', 'challenges.policy_id', 'challenges.reasons', 'challenges.updated_at'])
      .where('challenges.updated_at', '>', now - MAX_SUPPRESSION_DAYS * DAY_MS)
      .orderBy('challenges.updated_at', 'desc')
      .limit(20)
      .execute();
    return rows.map((r) => ({ id: r.id, method: 'verification', policyId: r.policy_id, reasons: parseReasons(r.reasons), passedAt: Number(r.updated_at) }));
  }

  async function locatedNeighbour(userId: string, key: HistoryKey, side: 'before' | 'after'): Promise<LocatedEvaluation | null> {
    const row = await db
      .selectFrom('evaluations')
      .select(['created_at', 'latitude', 'longitude', 'accuracy_km', 'geo_precision', 'country', 'ip_type', 'device_id'])
      .where('user_id', '=', userId)
      .where('latitude', 'is not', null)
      .where('created_at', side === 'before' ? '<=' : '>', key.now)
      .orderBy('created_at', side === 'before' ? 'desc' : 'asc')
      .limit(1)
      .executeTakeFirst();
    const place = row && location(row.latitude, row.longitude, row.accuracy_km, row.geo_precision);
    if (!row || !place) return null;
    return { at: row.created_at, location: place, country: row.country, relay: row.ip_type === 'relay', deviceId: row.device_id };
  }

  async function eventCount(q: EventCountQuery, key: HistoryKey, ids: KnownIds): Promise<number> {
    const value = q.by === 'user' ? ids.userId : q.by === 'ip' ? key.ip : q.by === 'fingerprint' ? ids.fingerprintId : ids.deviceId;
    // This evaluation is one of the events; nothing stored yet when the subject is new.
    if (value === null) return 1;
    const column = q.by === 'user' ? 'user_id' : q.by === 'ip' ? 'ip' : q.by === 'fingerprint' ? 'fingerprint_id' : 'device_id';
    let query = db
      .selectFrom('evaluations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(column, '=', value)
      // Sliding and exact to the millisecond: (now − window, now].
      .where('created_at', '>', key.now - q.windowMs)
      .where('created_at', '<=', key.now);
    if (q.by === 'ip') query = query.where('project_id', '=', key.projectId);
    if (q.action !== '*') query = query.where('action', '=', q.action);
    const row = await query.executeTakeFirstOrThrow();
    return Number(row.n) + 1;
  }

  return {
    async load(key: HistoryKey): Promise<{ snapshot: HistorySnapshot; ids: KnownIds }> {
      const [row, known] = await Promise.all([userRow(key), knownIds(key)]);
      const userId = row?.id ?? null;
      const ids: KnownIds = { userId, ...known };
      let relinkedLastSeenAt: number | null = null;
      if (ids.deviceId === null && userId !== null && ids.fingerprintId !== null) {
        // The device this user last used with this fingerprint (fingerprints are shared by few users, so
        // the fingerprint's index keeps this short).
        const prior = await db
          .selectFrom('evaluations')
          .innerJoin('user_devices', (join) => join.onRef('user_devices.device_id', '=', 'evaluations.device_id').onRef('user_devices.user_id', '=', 'evaluations.user_id'))
          .select(['evaluations.device_id', 'user_devices.last_seen_at'])
          .where('evaluations.fingerprint_id', '=', ids.fingerprintId)
          .where('evaluations.user_id', '=', userId)
          .where('evaluations.created_at', '>=', key.now - key.retentionMs)
          .orderBy('evaluations.created_at', 'desc')
          .limit(1)
          .executeTakeFirst();
        if (prior?.device_id) {
          ids.deviceId = prior.device_id;
          ids.relinked = true;
          relinkedLastSeenAt = prior.last_seen_at;
        }
      }
      const retentionStart = key.now - key.retentionMs;

      const { lastPassedAt, ...counts } = await counters(key, ids);
      const passed = lastPassedAt !== null && lastPassedAt > key.now - MAX_SUPPRESSION_DAYS * DAY_MS && userId !== null ? await passedChallenges(userId, ids, key.now) : [];
      const eventCounts: Record<string, number> = {};
      for (const q of key.eventCounts) eventCounts[q.key] = await eventCount(q, key, ids);

      if (!row || userId === null) {
        // A user never seen: nothing in their history, only what is counted across users.
        return { ids, snapshot: { ...emptyHistory, ...counts, eventCounts } };
      }

      const deviceRows = await db
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
        .where('user_devices.user_id', '=', userId)
        .where('user_devices.last_seen_at', '>=', retentionStart)
        // A device logged out by a device-limit challenge no longer counts until it is used again.
        .where((eb) => eb.or([eb('user_devices.logged_out_at', 'is', null), eb('user_devices.last_seen_at', '>', eb.ref('user_devices.logged_out_at'))]))
        .orderBy('user_devices.last_seen_at', 'desc')
        .limit(200)
        .execute();
      const devices: DeviceActivity[] = deviceRows
        .filter((d) => d.id !== ids.deviceId)
        .map((d) => ({
          deviceId: d.id,
          deviceClass: d.device_class as DeviceClass | null,
          firstSeenAt: d.first_seen_at,
          lastSeenAt: d.last_seen_at,
          lastLocation: location(d.last_latitude, d.last_longitude, d.last_accuracy_km, d.last_geo_precision),
        }));

      // Queries whose answer is already known are skipped: this runs on every evaluation.
      // Session start matters only when another device was active within the session window.
      const windowStart = key.now - SESSION_LOOKBACK_MS;
      const recent =
        ids.deviceId && devices.some((d) => d.lastSeenAt >= windowStart)
          ? await db
              .selectFrom('evaluations')
              .select('created_at')
              .where('user_id', '=', userId)
              .where('device_id', '=', ids.deviceId)
              .where('created_at', '>=', key.now - DAY_MS)
              .where('created_at', '<=', key.now)
              .orderBy('created_at', 'desc')
              .limit(200)
              .execute()
          : [];
      // Conflicts are between two of the user's devices: none to find with a single device.
      const conflicts = devices.length > 0 ? await db.selectFrom('device_conflicts').select(['device_a', 'device_b']).where('user_id', '=', userId).execute() : [];
      // A later located evaluation exists only for an out-of-order arrival (the user was seen after now).
      const locatedAfter = row.last_seen_at > key.now ? await locatedNeighbour(userId, key, 'after') : null;
      const familiarity = parseProfile(row.familiarity);
      // The place before is the last trusted login's: an attacker's login abroad does not become the
      // place the owner's next login is compared with. A user learned nothing of yet (an evaluation
      // recorded before familiarity existed) is compared with their last located evaluation, as before.
      const locatedBefore = familiarity && familiarity.trustedLogins > 0 ? familiarity.place : await locatedNeighbour(userId, key, 'before');

      return {
        ids,
        snapshot: {
          user: {
            firstSeenAt: row.first_seen_at,
            emailVerified: row.is_email_verified === 1,
            phoneVerified: row.is_phone_verified === 1,
            suspended: row.is_suspended === 1,
          },
          ipLastSeenAt: row.ip_last_seen_at ?? null,
          fingerprintLastSeenAt: row.fingerprint_last_seen_at ?? null,
          deviceLastSeenAt: ids.relinked ? relinkedLastSeenAt : (row.device_last_seen_at ?? null),
          locatedBefore,
          locatedAfter,
          devices,
          deviceRecentActivity: recent.map((r) => r.created_at),
          deviceConflicts: conflicts.map((c) => [c.device_a, c.device_b]),
          ...counts,
          eventCounts,
          passedChallenges: passed,
          lists: [],
          familiarity,
        },
      };
    },
  };
}

export type HistoryRepository = ReturnType<typeof historyRepository>;

function parseReasons(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((r): r is string => typeof r === 'string') : [];
  } catch {
    return [];
  }
}
