import { type Kysely, type Transaction, sql } from 'kysely';
import type { Database } from '../schema.js';

/** What erasing one user removed, table by table (SPEC §11). */
export interface UserErasure {
  /** The user's Vigil id (`us_…`), which no longer exists. */
  userId: string;
  evaluations: number;
  challenges: number;
  /** Devices and fingerprints only this user used; one another user also used stays (only the link goes). */
  devices: number;
  fingerprints: number;
  /** user_devices, user_fingerprints and user_ips rows. */
  sightings: number;
  deviceConflicts: number;
  /** Entries naming the user: their id, email or phone, or a device or fingerprint erased with them. */
  listEntries: number;
  /** Webhook deliveries whose payload names one of their challenges (or them): pending or delivered. */
  webhookDeliveries: number;
}

// SQLite allows 32,766 bound values per statement and PostgreSQL 65,535: lists of ids go in slices.
const SLICE = 500;
const slices = <T>(values: T[]): T[][] => Array.from({ length: Math.ceil(values.length / SLICE) }, (_, i) => values.slice(i * SLICE, (i + 1) * SLICE));
const deleted = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);
/** A LIKE pattern matching `text` literally anywhere (`_` and `%` are LIKE's wildcards; ids hold `_`). */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
/**
 * The forms a stored email or phone may have as a list value. Lists hold values normalised by the
 * caller's rules (the server's normalizeListValue) and a stored contact may not be, so the caller says
 * which forms to look for: the store keeps no copy of those rules.
 */
export type ContactForms = (kind: 'email' | 'phone', value: string) => string[];

/**
 * Erasure of one user for a GDPR request (SPEC §11, `DELETE /v3/users/{id}`): everything that names them,
 * in one transaction, so a failure leaves them whole rather than half erased. What stays: other users'
 * data, a device or fingerprint another user also used (the people and linked-account views of the
 * others need it), list entries for an email domain, an IP or a country (they name no one), and the
 * dashboard's already-counted totals per past day (numbers, no person).
 */
export function erasureRepository(db: Kysely<Database>) {
  return {
    /** Null when the project has no such user. */
    async eraseUser(projectId: string, externalId: string, formsOf: ContactForms): Promise<UserErasure | null> {
      return db.transaction().execute(async (trx) => {
        // A no-op UPDATE takes the row's lock (PostgreSQL) before anything is read: an evaluation of this
        // user racing the erasure either committed before (and is erased) or waits and then starts a new user.
        const user = await trx
          .updateTable('users')
          .set({ is_suspended: sql`is_suspended` })
          .where('project_id', '=', projectId)
          .where('external_id', '=', externalId)
          .returning(['id', 'email', 'phone'])
          .executeTakeFirst();
        if (!user) return null;
        const userId = user.id;

        // What they used, from every table that records it (retention may have pruned a sighting whose
        // device an evaluation still names, or the other way round).
        const evaluated = await trx.selectFrom('evaluations').select(['device_id', 'fingerprint_id', 'email', 'phone']).where('user_id', '=', userId).execute();
        const seenDevices = await trx.selectFrom('user_devices').select('device_id').where('user_id', '=', userId).execute();
        const seenFingerprints = await trx.selectFrom('user_fingerprints').select('fingerprint_id').where('user_id', '=', userId).execute();
        const challenged = await trx.selectFrom('challenges').select(['id', 'device_id']).where('user_id', '=', userId).execute();
        const present = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => v !== null))];
        const devices = await onlyTheirs(trx, 'device', userId, present([...evaluated, ...seenDevices, ...challenged].map((r) => r.device_id)));
        const fingerprints = await onlyTheirs(trx, 'fingerprint', userId, present([...evaluated, ...seenFingerprints].map((r) => r.fingerprint_id)));
        const emails = await notHeldByOthers(
          trx,
          'email',
          projectId,
          userId,
          present([user.email, ...evaluated.map((r) => r.email)]).flatMap((v) => formsOf('email', v)),
          formsOf,
        );
        const phones = await notHeldByOthers(
          trx,
          'phone',
          projectId,
          userId,
          present([user.phone, ...evaluated.map((r) => r.phone)]).flatMap((v) => formsOf('phone', v)),
          formsOf,
        );
        const challengeIds = challenged.map((r) => r.id);

        // Webhook payloads name a challenge (and its evaluation) by id, and name the user (`user`, and
        // Rupt's `account`): a pending one would still tell the application about someone erased, a
        // delivered one is a log of it.
        let webhookDeliveries = 0;
        const named = [...challengeIds.map((id) => JSON.stringify(id)), `"user":${JSON.stringify(externalId)}`, `"account":${JSON.stringify(externalId)}`];
        for (const slice of slices(named)) {
          webhookDeliveries += deleted(
            await trx
              .deleteFrom('webhook_deliveries')
              .where('project_id', '=', projectId)
              .where((eb) => eb.or(slice.map((text) => sql<boolean>`${eb.ref('payload')} like ${containing(text)} escape '\\'`)))
              .executeTakeFirstOrThrow(),
          );
        }

        for (const slice of slices(challengeIds)) await trx.deleteFrom('challenge_codes').where('challenge_id', 'in', slice).execute();
        const challenges = deleted(await trx.deleteFrom('challenges').where('user_id', '=', userId).executeTakeFirstOrThrow());
        const evaluations = deleted(await trx.deleteFrom('evaluations').where('user_id', '=', userId).executeTakeFirstOrThrow());
        let sightings = 0;
        for (const table of ['user_devices', 'user_fingerprints', 'user_ips'] as const)
          sightings += deleted(await trx.deleteFrom(table).where('user_id', '=', userId).executeTakeFirstOrThrow());
        const deviceConflicts = deleted(await trx.deleteFrom('device_conflicts').where('user_id', '=', userId).executeTakeFirstOrThrow());

        let erasedDevices = 0;
        for (const slice of slices(devices)) {
          // A nonce remembers the device's cookie for its few minutes of life: it goes with the device.
          const cookies = trx.selectFrom('devices').select('cookie_id').where('id', 'in', slice);
          await trx.deleteFrom('nonces').where('project_id', '=', projectId).where('device_cookie_id', 'in', cookies).execute();
          erasedDevices += deleted(await trx.deleteFrom('devices').where('id', 'in', slice).executeTakeFirstOrThrow());
        }
        let erasedFingerprints = 0;
        for (const slice of slices(fingerprints)) erasedFingerprints += deleted(await trx.deleteFrom('fingerprints').where('id', 'in', slice).executeTakeFirstOrThrow());

        let listEntries = 0;
        const naming: [string, string[]][] = [
          ['user', [externalId]],
          ['email', emails],
          ['phone', phones],
          ['device', devices],
          ['fingerprint', fingerprints],
        ];
        for (const [type, values] of naming) {
          for (const slice of slices(values)) {
            const lists = trx.selectFrom('lists').select('id').where('project_id', '=', projectId).where('type', '=', type);
            listEntries += deleted(await trx.deleteFrom('list_entries').where('list_id', 'in', lists).where('value', 'in', slice).executeTakeFirstOrThrow());
          }
        }

        await trx.deleteFrom('users').where('id', '=', userId).execute();
        return { userId, evaluations, challenges, devices: erasedDevices, fingerprints: erasedFingerprints, sightings, deviceConflicts, listEntries, webhookDeliveries };
      });
    },
  };
}

/** Of the devices (or fingerprints) a user used, those no other user was seen with or evaluated on. */
async function onlyTheirs(trx: Transaction<Database>, kind: 'device' | 'fingerprint', userId: string, ids: string[]): Promise<string[]> {
  const shared = new Set<string>();
  for (const slice of slices(ids)) {
    const seen =
      kind === 'device'
        ? await trx.selectFrom('user_devices').select('device_id as id').where('device_id', 'in', slice).where('user_id', '<>', userId).execute()
        : await trx.selectFrom('user_fingerprints').select('fingerprint_id as id').where('fingerprint_id', 'in', slice).where('user_id', '<>', userId).execute();
    const column = kind === 'device' ? 'device_id' : 'fingerprint_id';
    const evaluated = await trx.selectFrom('evaluations').select(`${column} as id`).distinct().where(column, 'in', slice).where('user_id', '<>', userId).execute();
    for (const r of [...seen, ...evaluated]) if (r.id !== null) shared.add(r.id);
  }
  return ids.filter((id) => !shared.has(id));
}

/**
 * Of the user's emails (or phones), those no other user of the project has now: a list entry for an
 * address another account also uses stays, or erasing one account would lift a block on the other.
 */
async function notHeldByOthers(
  trx: Transaction<Database>,
  column: 'email' | 'phone',
  projectId: string,
  userId: string,
  values: string[],
  formsOf: ContactForms,
): Promise<string[]> {
  const unique = [...new Set(values)];
  const held = new Set<string>();
  for (const slice of slices(unique)) {
    // Emails are compared in lower case too: the stored one may be in any case, list values are not.
    const rows = await trx
      .selectFrom('users')
      .select(column === 'email' ? 'email as value' : 'phone as value')
      .where('project_id', '=', projectId)
      .where('id', '<>', userId)
      .where((eb) => (column === 'email' ? eb.or([eb('email', 'in', slice), eb(sql<string>`lower(email)`, 'in', slice)]) : eb('phone', 'in', slice)))
      .execute();
    for (const r of rows) if (r.value !== null) for (const form of formsOf(column, r.value)) held.add(form);
  }
  return unique.filter((v) => !held.has(v));
}

export type ErasureRepository = ReturnType<typeof erasureRepository>;
