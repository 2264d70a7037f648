import { type Expression, type Kysely, sql } from 'kysely';
import { hotVariants } from '../../hot/compiled.js';
import type { Database } from '../../schema.js';
import { rowCount } from './row-columns.js';
import { DAY_MS, type HistoryKey, type KnownIds } from './types.js';

export interface CrossUserCounts {
  /** Distinct users seen with this fingerprint / device / IP within retention, this one included. */
  fingerprintUserCount: number | null;
  deviceUserCount: number | null;
  ipUserCount: number | null;
  originLastSeenAt: number | null;
  failedChallengesLastDay: number;
  /** When a verification this user passed on this device last completed (null: never). */
  lastPassedAt: number | null;
}

/** A value given as such, or (in the history's one statement, resolve-ids.ts) as a column there. */
type Value<T> = T | Expression<T>;
type Params = {
  since: Value<number>;
  userId: Value<string>;
  fingerprintId: Value<string>;
  deviceId: Value<string>;
  projectId: Value<string>;
  ip: Value<string>;
  origin: Value<string>;
  dayAgo: Value<number>;
};
export type CountsRow = {
  fingerprints: number | null;
  devices: number | null;
  ips: number | null;
  origin_last_seen_at: number | null;
  failed: number | null;
  last_passed: number | null;
};

/** Which parts of the statement this evaluation needs: one letter each, so a shape is a short name. */
function shapeOf(key: HistoryKey, ids: KnownIds): string {
  return [
    ids.fingerprintId === null ? '' : 'f',
    ids.deviceId === null ? '' : 'd',
    key.ip === null ? '' : 'i',
    key.origin === null ? '' : 'o',
    ids.userId === null ? '' : 'u',
    ids.userId === null || ids.deviceId === null ? '' : 'D',
    ids.userId === null || ids.fingerprintId === null ? '' : 'F',
  ].join('');
}

/**
 * The counts, as columns of a select: only the parts `shape` names, the others null. The ids may be
 * columns of the statement they go into: there, an id not found is the empty string, which nothing has.
 */
export function countColumns(db: Kysely<Database>, p: Params, shape: string) {
  const others = <T extends 'user_fingerprints' | 'user_devices' | 'user_ips'>(table: T) =>
    db
      .selectFrom(table as 'user_ips')
      .where('last_seen_at', '>=', p.since)
      .where('user_id', '!=', p.userId);
  const has = (part: string) => shape.includes(part);
  const count = (rows: Parameters<typeof rowCount>[1]) => sql<number>`${rowCount(db, rows)}`;
  return [
    !has('f') ? sql<number | null>`null`.as('fingerprints') : count(others('user_fingerprints').where(sql.ref('fingerprint_id'), '=', p.fingerprintId)).as('fingerprints'),
    !has('d') ? sql<number | null>`null`.as('devices') : count(others('user_devices').where(sql.ref('device_id'), '=', p.deviceId)).as('devices'),
    !has('i') ? sql<number | null>`null`.as('ips') : count(others('user_ips').where('project_id', '=', p.projectId).where('ip', '=', p.ip)).as('ips'),
    !has('o')
      ? sql<number | null>`null`.as('origin_last_seen_at')
      : db.selectFrom('project_origins').select('last_seen_at').where('project_id', '=', p.projectId).where('origin', '=', p.origin).as('origin_last_seen_at'),
    !has('u')
      ? sql<number | null>`null`.as('failed')
      : count(db.selectFrom('challenges').where('user_id', '=', p.userId).where('status', '=', 'failed').where('updated_at', '>', p.dayAgo)).as('failed'),
    // When a verification on this device last passed: the challenges are read only when one did.
    !has('D') && !has('F')
      ? sql<number | null>`null`.as('last_passed')
      : db
          .selectFrom('challenges')
          .select((c) => c.fn.max('challenges.updated_at').as('at'))
          .where('challenges.user_id', '=', p.userId)
          .where('challenges.status', '=', 'completed')
          .where('challenges.method', '=', 'verification')
          .where((c) => c.or([...(has('D') ? [c('challenges.device_id', '=', p.deviceId)] : []), ...(has('F') ? [c('challenges.fingerprint_id', '=', p.fingerprintId)] : [])]))
          .as('last_passed'),
  ];
}

const statement = hotVariants<string, Params & { userId: string; fingerprintId: string; deviceId: string }, CountsRow>((db, p, shape) =>
  db.selectNoFrom(countColumns(db, p, shape)),
);

/** What the counts read say, for the evaluation's ids: this user is counted too where they are known. */
export function crossUserCountsOf(row: CountsRow, key: HistoryKey, ids: KnownIds): CrossUserCounts {
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
 * In one statement: distinct users, this one included, seen with this fingerprint / device / IP within
 * retention, when the project last saw the origin, the user's failed challenges of the last day, and
 * when a verification on this device last passed.
 */
export async function crossUserCounts(db: Kysely<Database>, key: HistoryKey, ids: KnownIds): Promise<CrossUserCounts> {
  const row = await statement(shapeOf(key, ids)).first(db, {
    since: key.now - key.retentionMs,
    userId: ids.userId ?? '',
    fingerprintId: ids.fingerprintId ?? '',
    deviceId: ids.deviceId ?? '',
    projectId: key.projectId,
    ip: key.ip ?? '',
    origin: key.origin ?? '',
    dayAgo: key.now - DAY_MS,
  });
  if (!row) throw new Error('cross-user counts: no row');
  return crossUserCountsOf(row, key, ids);
}
