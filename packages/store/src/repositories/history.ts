import type { HistorySnapshot } from '@vigil/core';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export interface HistoryKey {
  projectId: string;
  userExternalId: string;
  ip: string | null;
  fingerprintHash: string | null;
  deviceCookieId: string | null;
}

/** What the decision needs to know about a user's past, read before deciding (no lock held across it). */
export function historyRepository(db: Kysely<Database>) {
  return {
    async load(key: HistoryKey): Promise<HistorySnapshot> {
      const user = await db
        .selectFrom('users')
        .select(['id', 'first_seen_at'])
        .where('project_id', '=', key.projectId)
        .where('external_id', '=', key.userExternalId)
        .executeTakeFirst();
      if (!user) return { user: null, ipLastSeenAt: null, fingerprintLastSeenAt: null, deviceLastSeenAt: null };

      const [ip, fingerprint, device] = await Promise.all([
        key.ip === null
          ? undefined
          : db.selectFrom('user_ips').select('last_seen_at').where('user_id', '=', user.id).where('ip', '=', key.ip).executeTakeFirst(),
        key.fingerprintHash === null
          ? undefined
          : db
              .selectFrom('user_fingerprints')
              .innerJoin('fingerprints', 'fingerprints.id', 'user_fingerprints.fingerprint_id')
              .select('user_fingerprints.last_seen_at')
              .where('user_fingerprints.user_id', '=', user.id)
              .where('fingerprints.project_id', '=', key.projectId)
              .where('fingerprints.hash', '=', key.fingerprintHash)
              .executeTakeFirst(),
        key.deviceCookieId === null
          ? undefined
          : db
              .selectFrom('user_devices')
              .innerJoin('devices', 'devices.id', 'user_devices.device_id')
              .select('user_devices.last_seen_at')
              .where('user_devices.user_id', '=', user.id)
              .where('devices.project_id', '=', key.projectId)
              .where('devices.cookie_id', '=', key.deviceCookieId)
              .executeTakeFirst(),
      ]);
      return {
        user: { firstSeenAt: user.first_seen_at },
        ipLastSeenAt: ip?.last_seen_at ?? null,
        fingerprintLastSeenAt: fingerprint?.last_seen_at ?? null,
        deviceLastSeenAt: device?.last_seen_at ?? null,
      };
    },
  };
}

export type HistoryRepository = ReturnType<typeof historyRepository>;
