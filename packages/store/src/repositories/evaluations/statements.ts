import { type Expression, type Kysely, sql } from 'kysely';
import { hot, hotVariants } from '../../hot/compiled.js';
import type { Database, EvaluationTable } from '../../schema.js';

// What an evaluation writes, statement by statement: each as a builder over its values, and its hot
// (compiled once) form. SQLite runs the hot forms one at a time; PostgreSQL runs the builders together
// as one statement (record.ts), so both write the same rows.

// Sightings keep the latest time seen even when evaluations arrive out of order.
// The existing row is named by its table: PostgreSQL finds a bare column ambiguous beside `excluded`.
function latest(table: 'users' | 'devices' | 'fingerprints' | 'user_devices' | 'user_fingerprints' | 'user_ips' | 'project_origins') {
  const current = sql.ref(`${table}.last_seen_at`);
  return sql<number>`case when excluded.last_seen_at > ${current} then excluded.last_seen_at else ${current} end`;
}

/** The user's id, their contact as it stands after this upsert, and their familiar set (JSON). */
export interface UpsertedUser {
  id: string;
  email: string | null;
  phone: string | null;
  familiarity: string | null;
}

export type UserParams = { id: string; projectId: string; externalId: string; email: string | null; phone: string | null; now: number };

/**
 * A contact (email, phone) is where challenge codes go, so who may set it matters. The backend (server
 * channel, production secret key) vouches for the user: what it sends replaces the stored contact, and a
 * changed contact is no longer verified (`vouched`). The browser (client channel, public client id) may
 * be an attacker who holds the password: it may give a contact only to a user who has none at all (no
 * email, no phone), never change or add to one (`evidence`). A development key's evaluations are test
 * traffic on the same users: evidence, like the browser's.
 */
export type ContactRule = 'vouched' | 'evidence';

/**
 * A login's familiar set, written with the user (familiar-set.ts): `familiarityNext` replaces the stored
 * set only while it is still `familiarityRead`; a new user starts with `familiarityFirst`.
 */
export type FamiliarSetParams = { familiarityRead: string | null; familiarityNext: string; familiarityFirst: string | null };

/** Whether the upsert also writes the login's familiar set. */
export type Learning = 'learns' | 'reads';

export function userUpsert(db: Kysely<Database>, p: UserParams & FamiliarSetParams, contactRule: ContactRule, learning: Learning) {
  const learns = learning === 'learns';
  return (
    db
      .insertInto('users')
      .values({
        id: p.id,
        project_id: p.projectId,
        external_id: p.externalId,
        email: p.email,
        phone: p.phone,
        first_seen_at: p.now,
        last_seen_at: p.now,
        ...(learns ? { familiarity: p.familiarityFirst } : {}),
      })
      .onConflict((oc) =>
        oc.columns(['project_id', 'external_id']).doUpdateSet({
          last_seen_at: latest('users'),
          ...(learns
            ? { familiarity: sql<string | null>`case when users.familiarity is not distinct from ${p.familiarityRead} then ${p.familiarityNext} else users.familiarity end` }
            : {}),
          ...(contactRule === 'vouched'
            ? {
                email: sql<string | null>`coalesce(excluded.email, users.email)`,
                phone: sql<string | null>`coalesce(excluded.phone, users.phone)`,
                is_email_verified: sql<number>`case when excluded.email is not null and (users.email is null or excluded.email <> users.email) then 0 else users.is_email_verified end`,
                is_phone_verified: sql<number>`case when excluded.phone is not null and (users.phone is null or excluded.phone <> users.phone) then 0 else users.is_phone_verified end`,
              }
            : {
                // Both judged on the row as it was: a user with an email cannot be given a phone by a browser
                // (an SMS challenge would then go to the attacker's phone), nor the other way round.
                email: sql<string | null>`case when users.email is null and users.phone is null then excluded.email else users.email end`,
                phone: sql<string | null>`case when users.email is null and users.phone is null then excluded.phone else users.phone end`,
              }),
        }),
      )
      // The upsert holds the user's row until the transaction ends, so the familiar set returned here is
      // the one an observation not written with it updates, whatever else runs for the user meanwhile.
      .returning(['id', 'email', 'phone', 'familiarity'])
  );
}
export const upsertUser = hotVariants<`${ContactRule}:${Learning}`, UserParams & FamiliarSetParams, UpsertedUser>((db, p, variant) => {
  const [contactRule, learning] = variant.split(':') as [ContactRule, Learning];
  return userUpsert(db, p, contactRule, learning);
});

/** An id given as a value, or (in the one statement PostgreSQL runs) as what a statement before it returned. */
export type Id = string | Expression<string>;

// The browser's old cookie is gone (storage cleared): its device answers to the new one.
export function deviceRelink(db: Kysely<Database>, p: { deviceId: string; cookieId: string; now: number }) {
  return db
    .updateTable('devices')
    .set({ cookie_id: p.cookieId, last_seen_at: sql`case when ${p.now} > last_seen_at then ${p.now} else last_seen_at end` })
    .where('id', '=', p.deviceId);
}
export const relinkDevice = hot<{ deviceId: string; cookieId: string; now: number }, never>((db, p) => deviceRelink(db, p));

export type DeviceParams = { id: string; projectId: string; cookieId: string; userAgent: string | null; deviceClass: string | null; now: number };
export function deviceUpsert(db: Kysely<Database>, p: DeviceParams) {
  return db
    .insertInto('devices')
    .values({ id: p.id, project_id: p.projectId, cookie_id: p.cookieId, user_agent: p.userAgent, device_class: p.deviceClass, first_seen_at: p.now, last_seen_at: p.now })
    .onConflict((oc) =>
      oc.columns(['project_id', 'cookie_id']).doUpdateSet({
        last_seen_at: latest('devices'),
        user_agent: sql`coalesce(excluded.user_agent, devices.user_agent)`,
        device_class: sql`coalesce(excluded.device_class, devices.device_class)`,
      }),
    )
    .returning('id');
}
export const upsertDevice = hot<DeviceParams, { id: string }>((db, p) => deviceUpsert(db, p));

export type FingerprintParams = { id: string; projectId: string; hash: string; now: number };
export function fingerprintUpsert(db: Kysely<Database>, p: FingerprintParams) {
  return db
    .insertInto('fingerprints')
    .values({ id: p.id, project_id: p.projectId, hash: p.hash, first_seen_at: p.now, last_seen_at: p.now })
    .onConflict((oc) => oc.columns(['project_id', 'hash']).doUpdateSet({ last_seen_at: latest('fingerprints') }))
    .returning('id');
}
export const upsertFingerprint = hot<FingerprintParams, { id: string }>((db, p) => fingerprintUpsert(db, p));

type Seen = { projectId: string; userId: Id; now: number };
export type DevicePlace = { latitude: number | null; longitude: number | null; accuracyKm: number | null; precision: string | null };
export type PlaceKind = 'located' | 'unlocated';

// The device's place moves only with a newer located evaluation (`located`); otherwise it stays.
export function deviceSighting(db: Kysely<Database>, p: Seen & { deviceId: Id } & DevicePlace, kind: PlaceKind) {
  const place = { last_latitude: p.latitude, last_longitude: p.longitude, last_accuracy_km: p.accuracyKm, last_geo_precision: p.precision };
  return db
    .insertInto('user_devices')
    .values({ project_id: p.projectId, user_id: p.userId, first_seen_at: p.now, last_seen_at: p.now, device_id: p.deviceId, ...place })
    .onConflict((oc) =>
      oc.columns(['user_id', 'device_id']).doUpdateSet(
        kind === 'located'
          ? {
              last_seen_at: latest('user_devices'),
              last_latitude: sql.ref('excluded.last_latitude'),
              last_longitude: sql.ref('excluded.last_longitude'),
              last_accuracy_km: sql.ref('excluded.last_accuracy_km'),
              last_geo_precision: sql.ref('excluded.last_geo_precision'),
            }
          : { last_seen_at: latest('user_devices') },
      ),
    );
}
export const sightDevice = hotVariants<PlaceKind, Seen & { userId: string; deviceId: string } & DevicePlace, never>((db, p, kind) => deviceSighting(db, p, kind));

// With a device, the fingerprint remembers it: the device a cleared cookie is re-linked to.
export function fingerprintSighting(db: Kysely<Database>, p: Seen & { fingerprintId: Id; deviceId: Id | null }) {
  return db
    .insertInto('user_fingerprints')
    .values({
      project_id: p.projectId,
      user_id: p.userId,
      first_seen_at: p.now,
      last_seen_at: p.now,
      fingerprint_id: p.fingerprintId,
      ...(p.deviceId !== null ? { last_device_id: p.deviceId } : {}),
    })
    .onConflict((oc) =>
      oc
        .columns(['user_id', 'fingerprint_id'])
        .doUpdateSet(
          p.deviceId !== null ? { last_seen_at: latest('user_fingerprints'), last_device_id: sql.ref('excluded.last_device_id') } : { last_seen_at: latest('user_fingerprints') },
        ),
    );
}
type FingerprintSeen = Seen & { userId: string; fingerprintId: string; deviceId: string };
export const sightFingerprint = hotVariants<'with_device' | 'without_device', FingerprintSeen, never>((db, p, kind) =>
  // Named one by one: `p` is a proxy of placeholders, which spreads to nothing.
  fingerprintSighting(db, { projectId: p.projectId, userId: p.userId, now: p.now, fingerprintId: p.fingerprintId, deviceId: kind === 'with_device' ? p.deviceId : null }),
);

export function ipSighting(db: Kysely<Database>, p: Seen & { ip: string }) {
  return db
    .insertInto('user_ips')
    .values({ project_id: p.projectId, user_id: p.userId, first_seen_at: p.now, last_seen_at: p.now, ip: p.ip })
    .onConflict((oc) => oc.columns(['user_id', 'ip']).doUpdateSet({ last_seen_at: latest('user_ips') }));
}
export const sightIp = hot<Seen & { userId: string; ip: string }, never>((db, p) => ipSighting(db, p));

export function originSighting(db: Kysely<Database>, p: { projectId: string; origin: string; now: number }) {
  return db
    .insertInto('project_origins')
    .values({ project_id: p.projectId, origin: p.origin, first_seen_at: p.now, last_seen_at: p.now })
    .onConflict((oc) => oc.columns(['project_id', 'origin']).doUpdateSet({ last_seen_at: latest('project_origins') }));
}
export const sightOrigin = hot<{ projectId: string; origin: string; now: number }, never>((db, p) => originSighting(db, p));

const EVALUATION_COLUMNS = [
  'id',
  'project_id',
  'environment',
  'channel',
  'action',
  'user_id',
  'user_external_id',
  'email',
  'phone',
  'device_id',
  'fingerprint_id',
  'ip',
  'user_agent',
  'origin',
  'metadata',
  'verdict',
  'policy',
  'challenge',
  'redirect',
  'risks',
  'risk_flags',
  'checks',
  'reasons',
  'latitude',
  'longitude',
  'accuracy_km',
  'geo_precision',
  'country',
  'ip_type',
  'ip_info',
  'consumed_at',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof EvaluationTable)[];

export type EvaluationValues = { [C in (typeof EVALUATION_COLUMNS)[number]]: EvaluationTable[C] | Expression<EvaluationTable[C]> };

export function evaluationInsert(db: Kysely<Database>, values: EvaluationValues) {
  return db.insertInto('evaluations').values(values as EvaluationTable);
}
type IdValues = Pick<EvaluationValues, 'user_id' | 'device_id' | 'fingerprint_id'>;

/**
 * The evaluation's values for a hot statement: its own columns read by dotted names from the row given
 * whole as `e` (placeholders `e.id`, `e.project_id`, …: not copied into one flat object at each run),
 * and the ids it names, given apart.
 */
export function evaluationValuesOf(p: object, ids: IdValues): EvaluationValues {
  const own = Object.fromEntries(EVALUATION_COLUMNS.map((c) => [c, (p as Record<string, unknown>)[`e.${c}`]]));
  return { ...own, ...ids } as EvaluationValues;
}

/** The evaluation's own columns (`e`) and the ids it names. */
type EvaluationParams = { e: Omit<EvaluationTable, 'user_id' | 'device_id' | 'fingerprint_id'>; userId: string; deviceId: string | null; fingerprintId: string | null };
export const insertEvaluation = hot<EvaluationParams, never>((db, p) =>
  evaluationInsert(db, evaluationValuesOf(p, { user_id: p.userId, device_id: p.deviceId, fingerprint_id: p.fingerprintId })),
);
