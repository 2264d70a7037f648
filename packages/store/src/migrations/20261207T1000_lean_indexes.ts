import { type Kysely, sql } from 'kysely';

// Every index an evaluation writes is a page of write-ahead log per commit (SQLite) or an index tuple
// per row version (PostgreSQL), on every evaluation: at a paced 1,000/s on SQLite the log took 177 kB
// of writes per evaluation, most of it index pages (docs/architecture.md, "Indexes").
//
// - The sightings' indexes lose `last_seen_at`. Every evaluation moves its sightings' last-seen time,
//   so an index holding it was rewritten on every evaluation (and on PostgreSQL no sighting update
//   could be HOT). Their readers (users of this IP / fingerprint / device, linked accounts) read each
//   row anyway for `user_id`, and filter on the time there.
// - `evaluations_user_located` goes: the located neighbour walks `evaluations_user_time` and takes the
//   first located row (an evaluation without a place is rare: one without an IP).
// - `evaluations_project_verdict_time` keeps only what is not `allow` (the dashboard's filter for a
//   verdict that is not `allow` names the index's condition; `allow` is most rows, found densely on the
//   project's time index).
// - `evaluations_project_action_time` goes: the dashboard's action filter walks the project's time index.
// - The per-subject indexes (`event_count` by IP, fingerprint, device) hold only rows that have the
//   subject: a backend's evaluation has no device, and its entry under NULL was a page written for a
//   lookup that never happens (`x = ?` implies `x is not null`, so both databases use them).
export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, table, columns] of SIGHTING_INDEXES) {
    await db.schema.dropIndex(name).execute();
    await db.schema.createIndex(name).on(table).columns(columns).execute();
  }
  await db.schema.dropIndex('evaluations_user_located').execute();
  await db.schema.dropIndex('evaluations_project_verdict_time').execute();
  await db.schema
    .createIndex('evaluations_project_verdict_time')
    .on('evaluations')
    .columns(['project_id', 'verdict', 'created_at'])
    .where(sql.ref('verdict'), '<>', 'allow')
    .execute();
  await db.schema.dropIndex('evaluations_project_action_time').execute();
  for (const [name, columns] of SUBJECT_INDEXES) {
    await db.schema.dropIndex(name).execute();
    await db.schema
      .createIndex(name)
      .on('evaluations')
      .columns(columns)
      .where(sql.ref(columns.at(-2)!), 'is not', null)
      .execute();
  }
}

const SUBJECT_INDEXES: [string, string[]][] = [
  ['evaluations_ip_time', ['project_id', 'ip', 'created_at']],
  ['evaluations_fingerprint_time', ['fingerprint_id', 'created_at']],
  ['evaluations_device_time', ['device_id', 'created_at']],
];

const SIGHTING_INDEXES: [string, string, string[]][] = [
  ['user_ips_ip', 'user_ips', ['project_id', 'ip']],
  ['user_fingerprints_fingerprint', 'user_fingerprints', ['fingerprint_id']],
  ['user_devices_device', 'user_devices', ['device_id']],
];

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name, columns] of SUBJECT_INDEXES) {
    await db.schema.dropIndex(name).execute();
    await db.schema.createIndex(name).on('evaluations').columns(columns).execute();
  }
  for (const [name, table, columns] of SIGHTING_INDEXES) {
    await db.schema.dropIndex(name).execute();
    await db.schema
      .createIndex(name)
      .on(table)
      .columns([...columns, 'last_seen_at'])
      .execute();
  }
  await db.schema.createIndex('evaluations_user_located').on('evaluations').columns(['user_id', 'created_at']).where(sql.ref('latitude'), 'is not', null).execute();
  await db.schema.dropIndex('evaluations_project_verdict_time').execute();
  await db.schema.createIndex('evaluations_project_verdict_time').on('evaluations').columns(['project_id', 'verdict', 'created_at']).execute();
  await db.schema.createIndex('evaluations_project_action_time').on('evaluations').columns(['project_id', 'action', 'created_at']).execute();
}
