import { type Expression, type Kysely, PostgresAdapter, sql } from 'kysely';
import { hotVariants } from '../../hot/compiled.js';
import { type Asking, answerAll, askedTogether, groupedBy } from '../../hot/together.js';
import type { Database } from '../../schema.js';
import { type CountsRow, countColumns } from './cross-user-counts.js';
import { DAY_MS, type HistoryKey, type KnownIds, type LastSightings } from './types.js';
import { jsonRowsOf, rowCount } from './row-columns.js';
import { type DeviceRow, userDevices } from './user-history.js';

/** The user's row with when they last used this IP and device (null: never, or not sent). */
export interface UserRow {
  id: string;
  first_seen_at: number;
  last_seen_at: number;
  is_email_verified: number;
  is_phone_verified: number;
  is_suspended: number;
  email: string | null;
  phone: string | null;
  familiarity: string | null;
  ip_last_seen_at: number | null;
  device_last_seen_at: number | null;
}

/**
 * What one statement finds: the user (its columns null for a user never seen), the device, the
 * fingerprint, how many lists the project has; on PostgreSQL also the counts and the user's devices.
 */
type Found = { [C in keyof UserRow]: UserRow[C] | null } & Partial<CountsRow> & { own_devices?: DeviceRow[]; has_devices?: number } & {
    device_id: string | null;
    fingerprint_id: string | null;
    /** When this user last used this fingerprint, and the device they last used it with (re-linking). */
    fingerprint_last_seen_at: number | null;
    fingerprint_last_device_id: string | null;
    /** When the fingerprint itself was last seen (any user). */
    fingerprint_seen_at: number | null;
    /** When the user last used that device. */
    fingerprint_device_last_seen_at: number | null;
    /** How many lists the project has. */
    lists: number;
  };

type Params = { projectId: string; externalId: string; ip: string; cookieId: string; hash: string; origin: string; since: number; dayAgo: number };

/** What the statement looks up by: its parameters, or (`identifyAll`) the columns of a row of them. */
type Lookup = { [K in keyof Params]: Params[K] | Expression<Params[K]> };

/**
 * Who and what the evaluation is about, in one statement: one row whatever exists (left joins on a row
 * of nothing, or of one evaluation's values), each part looked up by its unique key; what is counted
 * across users for the ids found (cross-user-counts.ts) and the user's devices (user-history.ts), on
 * PostgreSQL; and how many lists the project has. Six to seven statements before, each a round trip
 * on PostgreSQL. One shape per combination of what the evaluation has: an IP (`i`), a device cookie
 * (`c`), a fingerprint (`f`), an origin (`o`).
 */
function identifying(db: Kysely<Database>, p: Lookup, shape: string) {
  const has = (part: string) => shape.includes(part);
  // Counted, and the user's devices read, here only where a statement is a round trip: on SQLite each
  // count the evaluation cannot need (an id not found) would cost a probe, and its own statement skips
  // them (cross-user-counts.ts); the devices would cost building and parsing JSON.
  const onPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  return db
    .selectFrom(sql<{ one: number }>`(select 1 as one)`.as('nothing'))
    .leftJoin('users', (join) => join.on('users.project_id', '=', p.projectId).on('users.external_id', '=', p.externalId))
    .$if(has('c'), (q) => q.leftJoin('devices', (join) => join.on('devices.project_id', '=', p.projectId).on('devices.cookie_id', '=', p.cookieId)))
    .$if(has('f'), (q) =>
      q
        .leftJoin('fingerprints', (join) => join.on('fingerprints.project_id', '=', p.projectId).on('fingerprints.hash', '=', p.hash))
        .leftJoin('user_fingerprints', (join) => join.onRef('user_fingerprints.user_id', '=', 'users.id').onRef('user_fingerprints.fingerprint_id', '=', 'fingerprints.id'))
        .leftJoin('user_devices as relinked', (join) =>
          join.onRef('relinked.user_id', '=', 'user_fingerprints.user_id').onRef('relinked.device_id', '=', 'user_fingerprints.last_device_id'),
        ),
    )
    .select((eb) => [
      ...(!onPostgres
        ? []
        : countColumns(
            db,
            {
              since: p.since,
              dayAgo: p.dayAgo,
              projectId: p.projectId,
              ip: p.ip,
              origin: p.origin,
              // What was not found is the empty string here, which no row has.
              userId: sql<string>`coalesce(${sql.ref('users.id')}, '')`,
              deviceId: has('c') ? sql<string>`coalesce(${sql.ref('devices.id')}, '')` : '',
              fingerprintId: has('f') ? sql<string>`coalesce(${sql.ref('fingerprints.id')}, '')` : '',
            },
            // Each count the evaluation may need: an id not found counts nothing, and is not shown anyway.
            `${has('f') ? 'fF' : ''}${has('c') ? 'dD' : ''}${has('i') ? 'i' : ''}${has('o') ? 'o' : ''}u`,
          )),
      ...(!onPostgres ? [] : [sql`${jsonRowsOf(userDevices(db, { userId: sql.ref<string>('users.id'), since: p.since }))}`.as('own_devices')]),
      // On SQLite, whether the user ever had a device: one probe here spares reading a backend-only
      // user's devices (there are none) as a statement of its own at every evaluation.
      ...(onPostgres ? [] : [sql<number>`exists (select 1 from user_devices where user_devices.user_id = ${sql.ref('users.id')})`.as('has_devices')]),
      'users.id',
      'users.first_seen_at',
      'users.last_seen_at',
      'users.is_email_verified',
      'users.is_phone_verified',
      'users.is_suspended',
      'users.email',
      'users.phone',
      'users.familiarity',
      !has('i')
        ? sql<number | null>`null`.as('ip_last_seen_at')
        : eb.selectFrom('user_ips').select('user_ips.last_seen_at').whereRef('user_ips.user_id', '=', 'users.id').where('user_ips.ip', '=', p.ip).as('ip_last_seen_at'),
      !has('c')
        ? sql<number | null>`null`.as('device_last_seen_at')
        : eb
            .selectFrom('user_devices')
            .select('user_devices.last_seen_at')
            .whereRef('user_devices.user_id', '=', 'users.id')
            .where('user_devices.device_id', '=', sql.ref<string>('devices.id'))
            .as('device_last_seen_at'),
      sql<number>`${rowCount(db, eb.selectFrom('lists').where('lists.project_id', '=', p.projectId))}`.as('lists'),
      has('c') ? sql.ref<string | null>('devices.id').as('device_id') : sql<string | null>`null`.as('device_id'),
      ...(has('f')
        ? [
            sql.ref<string | null>('fingerprints.id').as('fingerprint_id'),
            sql.ref<number | null>('user_fingerprints.last_seen_at').as('fingerprint_last_seen_at'),
            sql.ref<string | null>('user_fingerprints.last_device_id').as('fingerprint_last_device_id'),
            sql.ref<number | null>('fingerprints.last_seen_at').as('fingerprint_seen_at'),
            sql.ref<number | null>('relinked.last_seen_at').as('fingerprint_device_last_seen_at'),
          ]
        : [
            sql<string | null>`null`.as('fingerprint_id'),
            sql<number | null>`null`.as('fingerprint_last_seen_at'),
            sql<string | null>`null`.as('fingerprint_last_device_id'),
            sql<number | null>`null`.as('fingerprint_seen_at'),
            sql<number | null>`null`.as('fingerprint_device_last_seen_at'),
          ]),
    ]);
}

const identify = hotVariants<string, Params, Found>((db, p, shape) => identifying(db, p, shape));

/** Several evaluations' values, as arrays of one value each (`identifyAll`). */
type Batch = { [K in keyof Params as `${K}s`]: Params[K][] };

/**
 * Several evaluations identified by one statement: the same lookups over a row of values each
 * (`unnest`), answered in their order (`i`, from 1). On PostgreSQL a statement sets up its plan again at
 * every execution: for a shared transaction's evaluations, entering together, once for all of them.
 */
const identifyAll = hotVariants<string, Batch, Found & { i: number }>((db, p, shape) => {
  const column = <T>(name: string) => sql<T>`${sql.ref(`batch.${name}`)}`;
  const lookup: Lookup = {
    projectId: column('project_id'),
    externalId: column('external_id'),
    ip: column('ip'),
    cookieId: column('cookie_id'),
    hash: column('hash'),
    origin: column('origin'),
    since: column('since'),
    dayAgo: column('day_ago'),
  };
  // Each evaluation's lookups as a subquery of its own (lateral), planned apart (`offset 0` keeps
  // PostgreSQL from merging it into the join): by its unique keys, as for one alone. Merged, the planner
  // took the rows of values for ten and hashed a whole table of fingerprints to join them.
  const each = identifying(db, lookup, shape).offset(sql.lit(0));
  const statement = sql<
    Found & { i: number }
  >`select x.*, batch.i from (select * from unnest(${p.projectIds}::text[], ${p.externalIds}::text[], ${p.ips}::text[], ${p.cookieIds}::text[], ${p.hashs}::text[], ${p.origins}::text[], ${p.sinces}::bigint[], ${p.dayAgos}::bigint[]) with ordinality as t(project_id, external_id, ip, cookie_id, hash, origin, since, day_ago, i)) as batch cross join lateral ${each} as x`;
  return { compile: () => statement.compile(db) };
});

/** Identifies one evaluation: by its own statement, or together with others (`identifyingTogether`). */
export type Identify = (shape: string, params: Params) => Promise<Found | undefined>;

/** Each evaluation by a statement of its own: SQLite, where a statement costs no round trip. */
export const identifyingEach =
  (db: Kysely<Database>): Identify =>
  (shape, params) =>
    identify(shape).first(db, params);

/**
 * On PostgreSQL, the evaluations of one shared transaction that ask in the same turn of the event loop
 * (those entering it together start at once: hot/subject-locks.ts) are identified by one statement per
 * shape; one alone, by its own. Each has taken its locks before it asks, so what it reads is as fresh.
 */
export function identifyingTogether(db: Kysely<Database>): Identify {
  type Question = { shape: string; params: Params };
  const ask = async (shape: string, all: Asking<Question, Found>[]) => {
    if (all.length === 1) return all[0]!.resolve(await identify(shape).first(db, all[0]!.question.params));
    const batch: Batch = { projectIds: [], externalIds: [], ips: [], cookieIds: [], hashs: [], origins: [], sinces: [], dayAgos: [] };
    for (const { question } of all) {
      const p = question.params;
      batch.projectIds.push(p.projectId);
      batch.externalIds.push(p.externalId);
      batch.ips.push(p.ip);
      batch.cookieIds.push(p.cookieId);
      batch.hashs.push(p.hash);
      batch.origins.push(p.origin);
      batch.sinces.push(p.since);
      batch.dayAgos.push(p.dayAgo);
    }
    const rows = await identifyAll(shape).rows(db, batch);
    for (const { i, ...found } of rows) all[i - 1]?.resolve(found);
  };
  // Within the microtasks of one turn: those entering together start in one loop (hot/subject-locks.ts).
  const asked = askedTogether<Question, Found>(queueMicrotask, (all) => {
    for (const [shape, same] of groupedBy(all, (a) => a.question.shape)) answerAll(same, () => ask(shape, same));
  });
  return (shape, params) => asked({ shape, params });
}

export interface ResolvedIds {
  ids: KnownIds;
  /** The user as stored, or null for a user never seen. */
  user: UserRow | null;
  /** When the user last used this fingerprint (null: never). */
  fingerprintLastSeenAt: number | null;
  /** When the user last used the device found by fingerprint (a re-linked device), else null. */
  relinkedLastSeenAt: number | null;
  /** How many lists the project has: a project without any reads no list membership. */
  listCount: number;
  /** When the sightings this evaluation writes were last written (the origin's is counted elsewhere). */
  lastSightings: Omit<LastSightings, 'origin'>;
  /** On PostgreSQL, what is counted across users for the ids as found (not for a device re-linked after). */
  counted: CountsRow | null;
  /**
   * The user's devices within retention (user-history.ts) when already known: read here on PostgreSQL;
   * on SQLite none for a user who never had one. Null: read them.
   */
  devices: DeviceRow[] | null;
}

/**
 * Who and what the evaluation is about, as the store knows them: the user, the device by its cookie
 * or, when the cookie is new, the device this user last used with this fingerprint (re-linked), and
 * the fingerprint.
 */
export async function resolveIds(identify: Identify, key: HistoryKey): Promise<ResolvedIds> {
  const shape = `${key.ip === null ? '' : 'i'}${key.deviceCookieId === null ? '' : 'c'}${key.fingerprintHash === null ? '' : 'f'}${key.origin === null ? '' : 'o'}`;
  const found = await identify(shape, {
    projectId: key.projectId,
    externalId: key.userExternalId,
    ip: key.ip ?? '',
    cookieId: key.deviceCookieId ?? '',
    hash: key.fingerprintHash ?? '',
    origin: key.origin ?? '',
    since: key.now - key.retentionMs,
    dayAgo: key.now - DAY_MS,
  });
  if (!found) throw new Error('identify: no row');
  const user: UserRow | null = found.id === null ? null : (found as UserRow);
  const ids: KnownIds = { userId: found.id, deviceId: found.device_id, fingerprintId: found.fingerprint_id };
  const resolved = {
    ids,
    user,
    fingerprintLastSeenAt: found.fingerprint_last_seen_at,
    relinkedLastSeenAt: null,
    listCount: Number(found.lists),
    lastSightings: {
      ip: found.ip_last_seen_at,
      userFingerprint: found.fingerprint_last_seen_at,
      userFingerprintDeviceId: found.fingerprint_last_device_id,
      fingerprint: found.fingerprint_seen_at,
      user: user && { id: user.id, lastSeenAt: Number(user.last_seen_at), email: user.email, phone: user.phone, familiarity: user.familiarity },
    },
    counted: 'fingerprints' in found ? (found as CountsRow) : null,
    devices: found.own_devices ?? (found.has_devices === 0 ? [] : null),
  };
  // Re-linked: the cookie is new (or absent), and this user used a device with this fingerprint within
  // retention (user_fingerprints.last_device_id).
  const relinkedLastSeenAt = found.fingerprint_device_last_seen_at;
  const lastDevice = found.fingerprint_last_device_id;
  if (ids.deviceId !== null || lastDevice === null || relinkedLastSeenAt === null || relinkedLastSeenAt < key.now - key.retentionMs) return resolved;
  return { ...resolved, ids: { ...ids, deviceId: lastDevice, relinked: true }, relinkedLastSeenAt };
}
