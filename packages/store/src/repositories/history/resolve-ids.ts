import { type Kysely, sql } from 'kysely';
import { hot, hotVariants } from '../../hot/compiled.js';
import type { Database } from '../../schema.js';
import type { HistoryKey, KnownIds } from './types.js';

/** The user's row with when they last used this IP and device (null: never, or not sent). */
export interface UserRow {
  id: string;
  first_seen_at: number;
  last_seen_at: number;
  is_email_verified: number;
  is_phone_verified: number;
  is_suspended: number;
  familiarity: string | null;
  ip_last_seen_at: number | null;
  device_last_seen_at: number | null;
}

type UserParams = { projectId: string; externalId: string; ip: string; deviceId: string };
// One shape per combination of what is known: the evaluation's IP (`ip`), the device of its cookie (`dv`).
const userRow = hotVariants<string, UserParams, UserRow>((db, p, variant) =>
  db
    .selectFrom('users')
    .select((eb) => [
      'users.id',
      'users.first_seen_at',
      'users.last_seen_at',
      'users.is_email_verified',
      'users.is_phone_verified',
      'users.is_suspended',
      'users.familiarity',
      !variant.includes('ip')
        ? sql<number | null>`null`.as('ip_last_seen_at')
        : eb.selectFrom('user_ips').select('user_ips.last_seen_at').whereRef('user_ips.user_id', '=', 'users.id').where('user_ips.ip', '=', p.ip).as('ip_last_seen_at'),
      !variant.includes('dv')
        ? sql<number | null>`null`.as('device_last_seen_at')
        : eb
            .selectFrom('user_devices')
            .select('user_devices.last_seen_at')
            .whereRef('user_devices.user_id', '=', 'users.id')
            .where('user_devices.device_id', '=', p.deviceId)
            .as('device_last_seen_at'),
    ])
    .where('users.project_id', '=', p.projectId)
    .where('users.external_id', '=', p.externalId),
);

const deviceByCookie = hot<{ projectId: string; cookieId: string }, { id: string }>((db, p) =>
  db.selectFrom('devices').select('id').where('project_id', '=', p.projectId).where('cookie_id', '=', p.cookieId),
);

/** When this user last used this fingerprint, and the device they last used it with (re-linking). */
export interface FingerprintSighting {
  last_seen_at: number;
  last_device_id: string | null;
  /** When the user last used that device. */
  device_last_seen_at: number | null;
}

const fingerprintOfUser = hot<{ userId: string; fingerprintId: string }, FingerprintSighting>((db, p) =>
  db
    .selectFrom('user_fingerprints')
    .leftJoin('user_devices', (join) =>
      join.onRef('user_devices.user_id', '=', 'user_fingerprints.user_id').onRef('user_devices.device_id', '=', 'user_fingerprints.last_device_id'),
    )
    .select(['user_fingerprints.last_seen_at', 'user_fingerprints.last_device_id', 'user_devices.last_seen_at as device_last_seen_at'])
    .where('user_fingerprints.user_id', '=', p.userId)
    .where('user_fingerprints.fingerprint_id', '=', p.fingerprintId),
);

const fingerprintByHash = hot<{ projectId: string; hash: string }, { id: string }>((db, p) =>
  db.selectFrom('fingerprints').select('id').where('project_id', '=', p.projectId).where('hash', '=', p.hash),
);

export interface ResolvedIds {
  ids: KnownIds;
  /** The user as stored, or null for a user never seen. */
  user: UserRow | null;
  /** When the user last used this fingerprint (null: never). */
  fingerprintLastSeenAt: number | null;
  /** When the user last used the device found by fingerprint (a re-linked device), else null. */
  relinkedLastSeenAt: number | null;
}

/**
 * Who and what the evaluation is about, as the store knows them: the user, the device by its cookie
 * or, when the cookie is new, the device this user last used with this fingerprint (re-linked), and
 * the fingerprint.
 */
export async function resolveIds(db: Kysely<Database>, key: HistoryKey): Promise<ResolvedIds> {
  const device = key.deviceCookieId === null ? undefined : await deviceByCookie.first(db, { projectId: key.projectId, cookieId: key.deviceCookieId });
  const variant = `${key.ip === null ? '' : 'ip'}${device === undefined ? '' : 'dv'}`;
  const user = (await userRow(variant).first(db, { projectId: key.projectId, externalId: key.userExternalId, ip: key.ip ?? '', deviceId: device?.id ?? '' })) ?? null;
  const fingerprint = key.fingerprintHash === null ? undefined : await fingerprintByHash.first(db, { projectId: key.projectId, hash: key.fingerprintHash });
  const ids: KnownIds = { userId: user?.id ?? null, deviceId: device?.id ?? null, fingerprintId: fingerprint?.id ?? null };
  const sighting = ids.userId === null || ids.fingerprintId === null ? undefined : await fingerprintOfUser.first(db, { userId: ids.userId, fingerprintId: ids.fingerprintId });
  const found = { ids, user, fingerprintLastSeenAt: sighting?.last_seen_at ?? null, relinkedLastSeenAt: null };
  // Re-linked: the cookie is new (or absent), and this user used a device with this fingerprint within
  // retention (user_fingerprints.last_device_id).
  const relinkedLastSeenAt = sighting?.device_last_seen_at ?? null;
  if (ids.deviceId !== null || !sighting?.last_device_id || relinkedLastSeenAt === null || relinkedLastSeenAt < key.now - key.retentionMs) return found;
  return { ...found, ids: { ...ids, deviceId: sighting.last_device_id, relinked: true }, relinkedLastSeenAt };
}
