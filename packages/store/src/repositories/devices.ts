import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { before } from './keyset.js';

export interface DeviceSummary {
  id: string;
  deviceClass: string | null;
  userAgent: string | null;
  firstSeenAt: number;
  lastSeenAt: number;
  /** How many of the project's users used it, and a few of their ids. */
  userCount: number;
  users: string[];
}

/** The project's devices, most recently used first (the dashboard's devices page). */
export function deviceRepository(db: Kysely<Database>) {
  return {
    async search(
      projectId: string,
      filter: { after?: { lastSeenAt: number; id: string }; limit: number },
    ): Promise<{ data: DeviceSummary[]; next: { lastSeenAt: number; id: string } | null }> {
      let q = db.selectFrom('devices').selectAll().where('project_id', '=', projectId);
      if (filter.after) {
        const { lastSeenAt, id } = filter.after;
        q = q.where(before('last_seen_at', 'id', { at: lastSeenAt, id }));
      }
      const rows = await q
        .orderBy('last_seen_at', 'desc')
        .orderBy('id', 'desc')
        .limit(filter.limit + 1)
        .execute();
      const page = rows.slice(0, filter.limit);
      const links = page.length
        ? await db
            .selectFrom('user_devices')
            .innerJoin('users', 'users.id', 'user_devices.user_id')
            .select(['user_devices.device_id', 'users.external_id'])
            .where(
              'user_devices.device_id',
              'in',
              page.map((r) => r.id),
            )
            .orderBy('user_devices.last_seen_at', 'desc')
            .execute()
        : [];
      const usersOf = new Map<string, string[]>();
      for (const l of links) usersOf.set(l.device_id, [...(usersOf.get(l.device_id) ?? []), l.external_id]);
      const data = page.map((r) => {
        const users = usersOf.get(r.id) ?? [];
        return {
          id: r.id,
          deviceClass: r.device_class,
          userAgent: r.user_agent,
          firstSeenAt: Number(r.first_seen_at),
          lastSeenAt: Number(r.last_seen_at),
          userCount: users.length,
          users: users.slice(0, 5),
        };
      });
      const last = data.at(-1);
      return { data, next: rows.length > filter.limit && last ? { lastSeenAt: last.lastSeenAt, id: last.id } : null };
    },
  };
}
