import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** What ties accounts together (SPEC §8): a device or a fingerprint, never a shared public IP alone. */
export type LinkKind = 'device' | 'fingerprint';

/** A device or fingerprint used by more than one of the project's users: the reason for a link. */
export interface SharedThing {
  kind: LinkKind;
  /** The device's or fingerprint's id. */
  id: string;
  /** Devices only: what the device is, to say which one in words. */
  deviceClass: string | null;
  userAgent: string | null;
  /** The fingerprint's hash (fingerprints only). */
  hash: string | null;
  /** How many users used it in all (the graph may show fewer). */
  userCount: number;
  lastSeenAt: number;
}

export interface LinkedAccount {
  /** The application's user id. */
  externalId: string;
  email: string | null;
  isSuspended: boolean;
  /** Steps from the account the graph started at (0 for that account). */
  depth: number;
}

/** One account's use of a shared thing: an edge of the graph, with when it happened. */
export interface Sighting {
  user: string;
  kind: LinkKind;
  thing: string;
  firstSeenAt: number;
  lastSeenAt: number;
}

export interface LinkGraph {
  accounts: LinkedAccount[];
  shared: SharedThing[];
  sightings: Sighting[];
  /** Some accounts or sightings were left out to keep the graph readable. */
  truncated: boolean;
}

export interface LinkGraphLimits {
  /** Steps of account → shared thing → account to follow (1 or 2). */
  depth: number;
  maxAccounts: number;
  /** Accounts shown per shared thing (the most recent); a fingerprint of a common machine can have thousands. */
  maxPerThing: number;
}

const sightingTables = { device: ['user_devices', 'device_id'], fingerprint: ['user_fingerprints', 'fingerprint_id'] } as const;

/**
 * Linked accounts (SPEC §8): the graph of accounts tied by shared devices and fingerprints around one
 * account, and the project's most recently used shared things (where to start looking).
 */
export function linkRepository(db: Kysely<Database>) {
  /**
   * The sightings of these things, most recent first, at most `maxPerThing` per thing besides those of
   * `always` (accounts already in a graph), and how many users each had in all.
   */
  async function sightingsOf(kind: LinkKind, things: string[], maxPerThing: number, always: ReadonlyMap<string, unknown> = new Map()) {
    if (things.length === 0) return { rows: [] as { user_id: string; thing: string; first_seen_at: number; last_seen_at: number }[], counts: new Map<string, number>() };
    const [table, column] = sightingTables[kind];
    const all = await db
      .selectFrom(table)
      .select(['user_id', `${column} as thing`, 'first_seen_at', 'last_seen_at'])
      .where(column, 'in', things)
      .orderBy('last_seen_at', 'desc')
      .execute();
    const counts = new Map<string, number>();
    const shown = new Map<string, number>();
    const rows = all.filter((r) => {
      counts.set(r.thing, (counts.get(r.thing) ?? 0) + 1);
      if (always.has(r.user_id)) return true;
      const n = (shown.get(r.thing) ?? 0) + 1;
      shown.set(r.thing, n);
      return n <= maxPerThing;
    });
    return { rows: rows.map((r) => ({ ...r, first_seen_at: Number(r.first_seen_at), last_seen_at: Number(r.last_seen_at) })), counts };
  }

  async function describe(kind: LinkKind, ids: string[], counts: Map<string, number>, lastSeen: Map<string, number>): Promise<SharedThing[]> {
    if (ids.length === 0) return [];
    if (kind === 'device') {
      const rows = await db.selectFrom('devices').select(['id', 'device_class', 'user_agent']).where('id', 'in', ids).execute();
      return rows.map((r) => ({
        kind,
        id: r.id,
        deviceClass: r.device_class,
        userAgent: r.user_agent,
        hash: null,
        userCount: counts.get(r.id) ?? 0,
        lastSeenAt: lastSeen.get(r.id) ?? 0,
      }));
    }
    const rows = await db.selectFrom('fingerprints').select(['id', 'hash']).where('id', 'in', ids).execute();
    return rows.map((r) => ({ kind, id: r.id, deviceClass: null, userAgent: null, hash: r.hash, userCount: counts.get(r.id) ?? 0, lastSeenAt: lastSeen.get(r.id) ?? 0 }));
  }

  return {
    /** The accounts linked to `externalId`, breadth first; null when the project has no such user. */
    async graph(projectId: string, externalId: string, limits: LinkGraphLimits): Promise<LinkGraph | null> {
      const root = await db.selectFrom('users').select(['id']).where('project_id', '=', projectId).where('external_id', '=', externalId).executeTakeFirst();
      if (!root) return null;
      const depthOf = new Map<string, number>([[root.id, 0]]);
      const sightings: Sighting[] = [];
      const shared = new Map<string, SharedThing>();
      let frontier = [root.id];
      let truncated = false;
      for (let depth = 1; depth <= limits.depth && frontier.length > 0; depth++) {
        const next: string[] = [];
        for (const kind of ['device', 'fingerprint'] as const) {
          const [table, column] = sightingTables[kind];
          const own = await db.selectFrom(table).select(`${column} as thing`).where('user_id', 'in', frontier).execute();
          const things = [...new Set(own.map((r) => r.thing))].filter((t) => !shared.has(`${kind}:${t}`));
          const { rows, counts } = await sightingsOf(kind, things, limits.maxPerThing, depthOf);
          const linking = things.filter((t) => (counts.get(t) ?? 0) > 1);
          if (linking.some((t) => (counts.get(t) ?? 0) > limits.maxPerThing)) truncated = true;
          const lastSeen = new Map<string, number>();
          for (const r of rows) {
            if (!linking.includes(r.thing)) continue;
            lastSeen.set(r.thing, Math.max(lastSeen.get(r.thing) ?? 0, r.last_seen_at));
            if (!depthOf.has(r.user_id)) {
              if (depthOf.size >= limits.maxAccounts) {
                truncated = true;
                continue;
              }
              depthOf.set(r.user_id, depth);
              next.push(r.user_id);
            }
            sightings.push({ user: r.user_id, kind, thing: r.thing, firstSeenAt: r.first_seen_at, lastSeenAt: r.last_seen_at });
          }
          for (const thing of await describe(kind, linking, counts, lastSeen)) shared.set(`${kind}:${thing.id}`, thing);
        }
        frontier = next;
      }
      const users = await db
        .selectFrom('users')
        .select(['id', 'external_id', 'email', 'is_suspended'])
        .where('id', 'in', [...depthOf.keys()])
        .execute();
      const externalOf = new Map(users.map((u) => [u.id, u.external_id]));
      return {
        accounts: users
          .map((u) => ({ externalId: u.external_id, email: u.email, isSuspended: Number(u.is_suspended) === 1, depth: depthOf.get(u.id) ?? 0 }))
          .sort((a, b) => a.depth - b.depth || a.externalId.localeCompare(b.externalId)),
        shared: [...shared.values()],
        // A sighting may be listed twice when both its ends were on one frontier; keep one.
        sightings: [...new Map(sightings.map((s) => [`${s.user}|${s.kind}|${s.thing}`, { ...s, user: externalOf.get(s.user) ?? s.user }])).values()],
        truncated,
      };
    },

    /** The project's devices and fingerprints used by more than one account, most recently used first. */
    async recentShared(projectId: string, limit: number): Promise<(SharedThing & { users: string[] })[]> {
      const found: (SharedThing & { users: string[] })[] = [];
      for (const kind of ['device', 'fingerprint'] as const) {
        const [table, column] = sightingTables[kind];
        const groups = await db
          .selectFrom(table)
          .select((eb) => [`${column} as thing`, eb.fn.countAll<number>().as('users'), eb.fn.max('last_seen_at').as('last_seen_at')])
          .where('project_id', '=', projectId)
          .groupBy(column)
          .having((eb) => eb.fn.countAll(), '>', 1)
          .orderBy('last_seen_at', 'desc')
          .limit(limit)
          .execute();
        const things = groups.map((g) => g.thing);
        const counts = new Map(groups.map((g) => [g.thing, Number(g.users)]));
        const lastSeen = new Map(groups.map((g) => [g.thing, Number(g.last_seen_at)]));
        const { rows } = await sightingsOf(kind, things, 5);
        const users = rows.length
          ? new Map(
              (
                await db
                  .selectFrom('users')
                  .select(['id', 'external_id'])
                  .where('id', 'in', [...new Set(rows.map((r) => r.user_id))])
                  .execute()
              ).map((u) => [u.id, u.external_id]),
            )
          : new Map<string, string>();
        for (const thing of await describe(kind, things, counts, lastSeen)) {
          found.push({ ...thing, users: rows.filter((r) => r.thing === thing.id).map((r) => users.get(r.user_id) ?? r.user_id) });
        }
      }
      return found.sort((a, b) => b.lastSeenAt - a.lastSeenAt || a.id.localeCompare(b.id)).slice(0, limit);
    },

    /** The account's devices and the pairs of them once active together from places too far apart for one person. */
    async devicesAndConflicts(projectId: string, externalId: string) {
      const user = await db.selectFrom('users').select(['id']).where('project_id', '=', projectId).where('external_id', '=', externalId).executeTakeFirst();
      if (!user) return null;
      const devices = await db
        .selectFrom('user_devices')
        .innerJoin('devices', 'devices.id', 'user_devices.device_id')
        .select(['devices.id', 'devices.device_class', 'devices.user_agent', 'user_devices.first_seen_at', 'user_devices.last_seen_at'])
        .where('user_devices.user_id', '=', user.id)
        .orderBy('user_devices.last_seen_at', 'desc')
        .execute();
      const conflicts = await db.selectFrom('device_conflicts').select(['device_a', 'device_b', 'first_seen_at']).where('user_id', '=', user.id).execute();
      return {
        devices: devices.map((d) => ({ id: d.id, deviceClass: d.device_class, userAgent: d.user_agent, firstSeenAt: Number(d.first_seen_at), lastSeenAt: Number(d.last_seen_at) })),
        conflicts: conflicts.map((c) => ({ a: c.device_a, b: c.device_b, firstSeenAt: Number(c.first_seen_at) })),
      };
    },
  };
}
