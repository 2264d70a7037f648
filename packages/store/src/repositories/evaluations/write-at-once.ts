import { type Kysely, sql } from 'kysely';
import { hotVariants, type Params } from '../../hot/compiled.js';
import { type Asking, answerAll, askedTogether, groupedBy } from '../../hot/together.js';
import type { Database, EvaluationTable } from '../../schema.js';
import {
  type ContactRule,
  type DevicePlace,
  deviceRelink,
  deviceSighting,
  deviceUpsert,
  evaluationInsert,
  evaluationValuesOf,
  type FamiliarSetParams,
  fingerprintSighting,
  fingerprintUpsert,
  type Id,
  ipSighting,
  type Learning,
  originSighting,
  type PlaceKind,
  userUpsert,
} from './statements.js';

/** The evaluation's own columns; the user, device and fingerprint ids come from what was written. */
export type EvaluationRow = Omit<EvaluationTable, 'user_id' | 'device_id' | 'fingerprint_id'>;

/**
 * How the evaluation's device is written: none (no cookie, nothing re-linked), named without a write (a
 * backend's evaluation re-linked by fingerprint), re-linked to the browser's new cookie, or upserted by
 * its cookie (created when new).
 */
export type DeviceWrite = 'none' | 'named' | 'relink' | 'upsert';

/** The shape of the one statement: what the evaluation has decides which parts it holds. */
export interface WriteShape {
  /** The user's row upserted, or named by the id the history found (`unchangedUser`: nothing of it would change). */
  user: 'upsert' | 'named';
  contact: ContactRule;
  learning: Learning;
  device: DeviceWrite;
  place: PlaceKind;
  /** The fingerprint's row upserted, named by the id the history found (its sighting is recent), or none. */
  fingerprint: 'upsert' | 'named' | 'none';
  userFingerprint: boolean;
  ip: boolean;
  origin: boolean;
}

const shapes = new Map<string, WriteShape>();
export function shapeKey(shape: WriteShape): string {
  const key = `${shape.user}:${shape.contact}:${shape.learning}:${shape.device}:${shape.place}:${shape.fingerprint}:${Number(shape.userFingerprint)}${Number(shape.ip)}${Number(shape.origin)}`;
  if (!shapes.has(key)) shapes.set(key, shape);
  return key;
}

export type AtOnceParams = {
  userNewId: string;
  /** The user's id the history found, for a user named rather than upserted (else empty). */
  userId: string;
  projectId: string;
  externalId: string;
  email: string | null;
  phone: string | null;
  now: number;
  deviceId: string;
  cookieId: string;
  userAgent: string | null;
  deviceClass: string | null;
  fingerprintId: string;
  fingerprintHash: string;
  ip: string;
  origin: string;
  /** The evaluation's own columns, read by dotted names (`e.id`): given as they are, not copied. */
  e: EvaluationRow;
} & FamiliarSetParams &
  DevicePlace;

export type WrittenRow = { id: string; email: string | null; phone: string | null; familiarity: string | null; device_id: string | null; fingerprint_id: string | null };

/**
 * One evaluation's parts of the statement, its CTEs named with `n` (`u0`, `e0`, …), and the select of
 * what it wrote: data-modifying CTEs, each part taking the ids the parts before it returned (`(select id
 * from u0)`). The parts are the very builders SQLite runs one at a time, so both write the same rows.
 */
function partsOf(db: Kysely<Database>, p: Params<AtOnceParams>, shape: WriteShape, n: number) {
  const { userNewId: id, projectId, externalId, email, phone, now, familiarityRead, familiarityNext, familiarityFirst } = p;
  const user = { id, projectId, externalId, email, phone, now, familiarityRead, familiarityNext, familiarityFirst };
  const name = (part: string) => sql.id(`${part}${n}`);
  const named = shape.user === 'named';
  const parts = named ? [] : [sql`${name('u')} as (${userUpsert(db, user, shape.contact, shape.learning)})`];
  const userId: Id = named ? p.userId : sql<string>`(select id from ${name('u')})`;
  let deviceId: Id | null = null;
  if (shape.device === 'upsert') {
    parts.push(
      sql`${name('d')} as (${deviceUpsert(db, { id: p.deviceId, projectId: p.projectId, cookieId: p.cookieId, userAgent: p.userAgent, deviceClass: p.deviceClass, now: p.now })})`,
    );
    deviceId = sql<string>`(select id from ${name('d')})`;
  } else if (shape.device === 'relink') {
    parts.push(sql`${name('d')} as (${deviceRelink(db, { deviceId: p.deviceId, cookieId: p.cookieId, now: p.now })})`);
    deviceId = p.deviceId;
  } else if (shape.device === 'named') deviceId = p.deviceId;
  let fingerprintId: Id | null = null;
  if (shape.fingerprint === 'upsert') {
    parts.push(sql`${name('f')} as (${fingerprintUpsert(db, { id: p.fingerprintId, projectId: p.projectId, hash: p.fingerprintHash, now: p.now })})`);
    fingerprintId = sql<string>`(select id from ${name('f')})`;
  } else if (shape.fingerprint === 'named') fingerprintId = p.fingerprintId;
  const seen = { projectId: p.projectId, userId, now: p.now };
  const place = { latitude: p.latitude, longitude: p.longitude, accuracyKm: p.accuracyKm, precision: p.precision };
  if (deviceId !== null) parts.push(sql`${name('sd')} as (${deviceSighting(db, { ...seen, deviceId, ...place }, shape.place)})`);
  if (fingerprintId !== null && shape.userFingerprint) parts.push(sql`${name('sf')} as (${fingerprintSighting(db, { ...seen, fingerprintId, deviceId })})`);
  if (shape.ip) parts.push(sql`${name('si')} as (${ipSighting(db, { ...seen, ip: p.ip })})`);
  const values = evaluationValuesOf(p, { user_id: userId, device_id: deviceId ?? sql<null>`null`, fingerprint_id: fingerprintId ?? sql<null>`null` });
  parts.push(sql`${name('e')} as (${evaluationInsert(db, values)})`);
  if (shape.origin) parts.push(sql`${name('o')} as (${originSighting(db, { projectId: p.projectId, origin: p.origin, now: p.now })})`);
  const u = name('u');
  // A user named is known to the caller as read: nothing of the row is selected back.
  const userColumns = named ? sql`null as id, null as email, null as phone, null as familiarity` : sql`${u}.id, ${u}.email, ${u}.phone, ${u}.familiarity`;
  const written = sql`select ${sql.lit(n)} as n, ${userColumns}, ${deviceId ?? sql`null`} as device_id, ${fingerprintId ?? sql`null`} as fingerprint_id${named ? sql`` : sql` from ${u}`}`;
  return { parts, written };
}

/**
 * Everything the evaluation writes before its effects as one statement on PostgreSQL. Each statement
 * is a round trip that costs both sides a socket write and a wake-up (a third of the node's CPU per
 * evaluation went to `writev`): one instead of up to eight. Foreign keys are checked at the
 * statement's end, when the user, device and fingerprint it inserted are there.
 */
const writeAtOnce = hotVariants<string, AtOnceParams, WrittenRow>((db, p, key) => {
  const { parts, written } = partsOf(db, p, shapes.get(key)!, 0);
  const statement = sql<WrittenRow>`with ${sql.join(parts)} ${written}`;
  return { compile: () => statement.compile(db) };
});

/**
 * How many evaluations one statement writes: 8 (a shared transaction's most, hot/subject-locks.ts), 4,
 * 2 or 1, the most that fit first (7 are written as 4, 2 and 1). Each number is a statement of its own,
 * prepared on each connection that runs it, with a plan the size of its parts: three sizes per shape
 * rather than seven keep what each PostgreSQL backend holds small, and most groups write 8 at once.
 */
const SIZES = [8, 4, 2, 1];

/** `all`, cut into pieces of the sizes written together, largest first. */
function piecesOf<T>(all: T[]): T[][] {
  const pieces: T[][] = [];
  let from = 0;
  for (const size of SIZES) {
    while (all.length - from >= size) {
      pieces.push(all.slice(from, from + size));
      from += size;
    }
  }
  return pieces;
}

/**
 * Several evaluations of one shape written by one statement: each one's parts, side by side, and what
 * each wrote, numbered (`n`). Their parameters are given as `m0`, `m1`, … One statement per shape and
 * number of evaluations, each prepared once per connection. None of them writes a row another writes:
 * they share no subject (user, IP, fingerprint, device), so their sightings differ, and an origin is
 * written by one only (`writingTogether`). PostgreSQL cannot change one row twice in a statement.
 */
const writeSideBySide = hotVariants<string, Record<string, AtOnceParams>, WrittenRow & { n: number }>((db, p, variant) => {
  const [key, count] = variant.split('*') as [string, string];
  const shape = shapes.get(key)!;
  const each = Array.from({ length: Number(count) }, (_, n) => {
    const member = new Proxy({} as Params<AtOnceParams>, { get: (_, name) => (p as Record<string, unknown>)[`m${n}.${String(name)}`] });
    return partsOf(db, member, shape, n);
  });
  const statement = sql<WrittenRow & { n: number }>`with ${sql.join(each.flatMap((e) => e.parts))} ${sql.join(
    each.map((e) => e.written),
    sql` union all `,
  )}`;
  return { compile: () => statement.compile(db) };
});

/** Writes one evaluation's statement: by its own, or side by side with others (`writingTogether`). */
export type WriteAtOnce = (key: string, params: AtOnceParams) => Promise<WrittenRow | undefined>;

/** Each evaluation by a statement of its own. */
export const writingEach =
  (db: Kysely<Database>): WriteAtOnce =>
  (key, params) =>
    writeAtOnce(key).first(db, params);

/**
 * The evaluations of one transaction (`db`) that write in the same turn of the event loop, written by
 * one statement per shape: those identified together (history/resolve-ids.ts) decide one after the
 * other and then write, so they ask within one turn. One alone is written by its own statement. An
 * origin two of them would write is written by the first only: its sighting is the same row, and a
 * second write within the minute would be skipped anyway (`sightingsDue`).
 */
export function writingTogether(db: Kysely<Database>): WriteAtOnce {
  type Question = { key: string; params: AtOnceParams };
  const write = async (key: string, all: Asking<Question, WrittenRow>[]) => {
    if (all.length === 1) return all[0]!.resolve(await writeAtOnce(key).first(db, all[0]!.question.params));
    const params = Object.fromEntries(all.map((w, n) => [`m${n}`, w.question.params]));
    const rows = await writeSideBySide(`${key}*${all.length}`).rows(db, params);
    for (const { n, ...row } of rows) all[n]?.resolve(row);
  };
  // A turn, not its microtasks: each decides between its history and its write, and the others'
  // continuations interleave with its own.
  const asked = askedTogether<Question, WrittenRow>(setImmediate, (all) => {
    const origins = new Set<string>();
    /** The shape `w` is written with: without the origin when another of them writes it. */
    const keyOf = (w: Asking<Question, WrittenRow>) => {
      const shape = shapes.get(w.question.key)!;
      if (!shape.origin) return w.question.key;
      const origin = `${w.question.params.projectId}\u0000${w.question.params.origin}`;
      if (origins.has(origin)) return shapeKey({ ...shape, origin: false });
      origins.add(origin);
      return w.question.key;
    };
    for (const [key, same] of groupedBy(all, keyOf)) {
      for (const some of piecesOf(same)) answerAll(some, () => write(key, some));
    }
  });
  return (key, params) => asked({ key, params });
}
