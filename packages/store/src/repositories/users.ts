import { type Kysely, sql } from 'kysely';
import { fromJson, toJson } from '../json.js';
import type { Database } from '../schema.js';

export interface UserRecord {
  id: string;
  externalId: string;
  email: string | null;
  phone: string | null;
  emailVerified: boolean;
  phoneVerified: boolean;
  suspended: boolean;
  metadata: Record<string, unknown>;
  groups: string[];
  firstSeenAt: number;
  lastSeenAt: number;
}

export interface UserDevice {
  id: string;
  deviceClass: string | null;
  userAgent: string | null;
  firstSeenAt: number;
  lastSeenAt: number;
  /** Where the device last was for this user (rounded to what the place is trusted to), if known. */
  lastLocation: { latitude: number; longitude: number } | null;
  /** When a device-limit challenge logged it out (or, once told, when it was told). */
  loggedOutAt: number | null;
  /** Logged out and not used since: not among the account's devices in use. */
  loggedOut: boolean;
}

/** The verified flag after setting a contact: kept only when the value is the one already stored. */
function changedContact(column: 'email' | 'phone', value: string | null) {
  const flag = sql.ref(column === 'email' ? 'is_email_verified' : 'is_phone_verified');
  return value === null ? sql<number>`0` : sql<number>`case when ${sql.ref(column)} = ${value} then ${flag} else 0 end`;
}

export function userRepository(db: Kysely<Database>) {
  async function find(projectId: string, externalId: string): Promise<UserRecord | null> {
    const r = await db.selectFrom('users').selectAll().where('project_id', '=', projectId).where('external_id', '=', externalId).executeTakeFirst();
    if (!r) return null;
    return {
      id: r.id,
      externalId: r.external_id,
      email: r.email,
      phone: r.phone,
      emailVerified: r.is_email_verified === 1,
      phoneVerified: r.is_phone_verified === 1,
      suspended: r.is_suspended === 1,
      metadata: fromJson<Record<string, unknown>>(r.metadata, {}),
      groups: fromJson<string[]>(r.groups, []),
      firstSeenAt: r.first_seen_at,
      lastSeenAt: r.last_seen_at,
    };
  }

  return {
    find,

    /** The application's id of a user, by Vigil's id (what webhooks name as the account). */
    async externalIdOf(userId: string): Promise<string | null> {
      return (await db.selectFrom('users').select('external_id').where('id', '=', userId).executeTakeFirst())?.external_id ?? null;
    },

    /**
     * Renames a user (a signup's pending identity getting the application's id): the user and its history
     * stay, evaluations naming it by the old name name it by the new. `taken`: the project already has a
     * user of that id (two users are never merged silently); `not_found`: no user of the old name (already
     * renamed by a concurrent call, or never there).
     */
    async rename(projectId: string, from: string, to: string): Promise<'renamed' | 'taken' | 'not_found'> {
      // A user of that id created between the check and the rename (a login racing the signup's consume)
      // trips the unique index: that is `taken` too.
      const unique = (error: unknown) => ['23505', 'SQLITE_CONSTRAINT_UNIQUE'].includes((error as { code?: string }).code ?? '');
      return db
        .transaction()
        .execute(async (trx) => {
          const taken = await trx.selectFrom('users').select('id').where('project_id', '=', projectId).where('external_id', '=', to).executeTakeFirst();
          if (taken) return 'taken';
          const renamed = await trx
            .updateTable('users')
            .set({ external_id: to })
            .where('project_id', '=', projectId)
            .where('external_id', '=', from)
            .returning('id')
            .executeTakeFirst();
          if (!renamed) return 'not_found';
          await trx
            .updateTable('evaluations')
            .set({ user_external_id: to })
            .where('project_id', '=', projectId)
            .where('user_id', '=', renamed.id)
            .where('user_external_id', '=', from)
            .execute();
          return 'renamed';
        })
        .catch((error: unknown) => {
          if (unique(error)) return 'taken' as const;
          throw error;
        });
    },

    /** Suspends or lifts a suspension; null when the project has no such user. */
    async setSuspended(projectId: string, externalId: string, suspended: boolean): Promise<UserRecord | null> {
      const result = await db
        .updateTable('users')
        .set({ is_suspended: suspended ? 1 : 0 })
        .where('project_id', '=', projectId)
        .where('external_id', '=', externalId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1 ? find(projectId, externalId) : null;
    },

    /** Changes only the fields given; false when the project has no such user. */
    async update(
      projectId: string,
      externalId: string,
      changes: { email?: string | null; phone?: string | null; metadata?: Record<string, unknown>; groups?: string[] },
    ): Promise<boolean> {
      // A changed contact is not verified any more: the flag was earned by the old address or number.
      const set = {
        ...(changes.email !== undefined && { email: changes.email, is_email_verified: changedContact('email', changes.email) }),
        ...(changes.phone !== undefined && { phone: changes.phone, is_phone_verified: changedContact('phone', changes.phone) }),
        ...(changes.metadata !== undefined && { metadata: toJson(changes.metadata) }),
        ...(changes.groups !== undefined && { groups: toJson(changes.groups) }),
      };
      if (Object.keys(set).length === 0) return (await find(projectId, externalId)) !== null;
      const result = await db.updateTable('users').set(set).where('project_id', '=', projectId).where('external_id', '=', externalId).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** The user's devices, most recently seen first. */
    async devices(userId: string): Promise<UserDevice[]> {
      const rows = await db
        .selectFrom('user_devices')
        .innerJoin('devices', 'devices.id', 'user_devices.device_id')
        .select([
          'devices.id',
          'devices.device_class',
          'devices.user_agent',
          'user_devices.first_seen_at',
          'user_devices.last_seen_at',
          'user_devices.last_latitude',
          'user_devices.last_longitude',
          'user_devices.logged_out_at',
        ])
        .where('user_devices.user_id', '=', userId)
        .orderBy('user_devices.last_seen_at', 'desc')
        .limit(500)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        deviceClass: r.device_class,
        userAgent: r.user_agent,
        firstSeenAt: Number(r.first_seen_at),
        lastSeenAt: Number(r.last_seen_at),
        lastLocation: r.last_latitude === null || r.last_longitude === null ? null : { latitude: r.last_latitude, longitude: r.last_longitude },
        loggedOutAt: r.logged_out_at === null ? null : Number(r.logged_out_at),
        loggedOut: r.logged_out_at !== null && Number(r.last_seen_at) <= Number(r.logged_out_at),
      }));
    },

    /** Logs a device out of a user's account; its next evaluation will say so, and send it to `logoutUrl`. */
    async logOutDevice(userId: string, deviceId: string, logoutUrl: string | null, now: number): Promise<boolean> {
      const r = await db
        .updateTable('user_devices')
        .set({ logged_out_at: now, logout_pending: 1, logout_url: logoutUrl })
        .where('user_id', '=', userId)
        .where('device_id', '=', deviceId)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    /**
     * Whether this device was logged out of this user's account since its last evaluation, and where it
     * should go: answered once, so the SDK logs out once, not at every evaluation. The logout time moves
     * to now, so the evaluation that told it does not count as the device being used again.
     *
     * One statement, which takes the logout only where one is pending: every browser evaluation asks,
     * and as a transaction (read, then clear) it was three round trips to PostgreSQL each time. The URL
     * is returned as it is, so it stays in the row: nothing reads it while no logout is pending, and the
     * next logout writes its own.
     */
    async takeLogout(userId: string, deviceId: string, now: number): Promise<{ logoutUrl: string | null } | null> {
      const row = await db
        .updateTable('user_devices')
        .set({ logout_pending: 0, logged_out_at: now })
        .where('user_id', '=', userId)
        .where('device_id', '=', deviceId)
        .where('logout_pending', '=', 1)
        .returning('logout_url')
        .executeTakeFirst();
      return row ? { logoutUrl: row.logout_url } : null;
    },
  };
}

export type UserRepository = ReturnType<typeof userRepository>;
