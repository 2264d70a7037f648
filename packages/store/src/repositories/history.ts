import type { HistorySnapshot } from '@vigil/core';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.js';

export interface HistoryKey {
  projectId: string;
  userExternalId: string;
  ip: string | null;
  fingerprintHash: string | null;
  deviceCookieId: string | null;
}

const none = { user: null, ipLastSeenAt: null, fingerprintLastSeenAt: null, deviceLastSeenAt: null } as const;

/** What the decision needs to know about a user's past, read before deciding (no lock held across it). */
export function historyRepository(db: Kysely<Database>) {
  return {
    /** One query (the user, and when it last saw this IP, fingerprint and device): it is on every evaluation. */
    async load(key: HistoryKey): Promise<HistorySnapshot> {
      const row = await db
        .selectFrom('users')
        .select((eb) => [
          'users.first_seen_at',
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
      if (!row) return none;
      return {
        user: { firstSeenAt: row.first_seen_at },
        ipLastSeenAt: row.ip_last_seen_at ?? null,
        fingerprintLastSeenAt: row.fingerprint_last_seen_at ?? null,
        deviceLastSeenAt: row.device_last_seen_at ?? null,
      };
    },
  };
}

export type HistoryRepository = ReturnType<typeof historyRepository>;
