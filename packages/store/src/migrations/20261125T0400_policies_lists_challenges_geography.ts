import { type Kysely, sql } from 'kysely';

// The decision's data: policies with versions, lists, challenges opened by policies, the places and
// device conflicts that impossible travel and people counts need, and per-project risk overrides.
/* eslint-disable @typescript-eslint/no-explicit-any */

export async function up(db: Kysely<any>): Promise<void> {
  // Where each evaluation was, when intel knew (impossible travel compares neighbours in time).
  for (const [column, type] of [
    ['latitude', 'double precision'],
    ['longitude', 'double precision'],
    ['accuracy_km', 'double precision'],
    ['geo_precision', 'text'],
    ['country', 'text'],
    ['ip_type', 'text'],
    ['ip_info', 'text'],
  ] as const) {
    await db.schema.alterTable('evaluations').addColumn(column, type).execute();
  }
  // The user's located evaluations nearest in time: a partial index, so a user with many evaluations
  // and no geolocation is not scanned end to end on every evaluation.
  await db.schema.createIndex('evaluations_user_located').on('evaluations').columns(['user_id', 'created_at']).where(sql.ref('latitude'), 'is not', null).execute();
  // Velocity (`event_count` by ip, fingerprint, device) counts evaluations in a window.
  await db.schema.createIndex('evaluations_ip_time').on('evaluations').columns(['project_id', 'ip', 'created_at']).execute();
  await db.schema.createIndex('evaluations_fingerprint_time').on('evaluations').columns(['fingerprint_id', 'created_at']).execute();
  await db.schema.createIndex('evaluations_device_time').on('evaluations').columns(['device_id', 'created_at']).execute();

  await db.schema.alterTable('devices').addColumn('device_class', 'text').execute();
  for (const [column, type] of [
    ['last_latitude', 'double precision'],
    ['last_longitude', 'double precision'],
    ['last_accuracy_km', 'double precision'],
    ['last_geo_precision', 'text'],
  ] as const) {
    await db.schema.alterTable('user_devices').addColumn(column, type).execute();
  }
  // "Users that share this fingerprint / device / IP" are counted from the other side of the sightings.
  await db.schema.createIndex('user_fingerprints_fingerprint').on('user_fingerprints').columns(['fingerprint_id', 'last_seen_at']).execute();
  await db.schema.createIndex('user_devices_device').on('user_devices').columns(['device_id', 'last_seen_at']).execute();
  await db.schema.createIndex('user_ips_ip').on('user_ips').columns(['project_id', 'ip', 'last_seen_at']).execute();

  await db.schema
    .createTable('device_conflicts')
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('device_a', 'text', (c) => c.notNull())
    .addColumn('device_b', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('device_conflicts_pk', ['user_id', 'device_a', 'device_b'])
    .execute();

  await db.schema
    .createTable('project_origins')
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('project_origins_pk', ['project_id', 'origin'])
    .execute();

  // What the application tells Vigil about a user (POST /v3/user/{id}/update): metadata and B2B seats.
  await db.schema
    .alterTable('users')
    .addColumn('metadata', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema
    .alterTable('users')
    .addColumn('groups', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();

  await db.schema
    .alterTable('projects')
    .addColumn('risk_overrides', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();

  await db.schema
    .createTable('policies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('conditions', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .execute();
  await db.schema.createIndex('policies_project').on('policies').columns(['project_id', 'environment', 'priority']).execute();

  await db.schema
    .createTable('policy_versions')
    .addColumn('policy_id', 'text', (c) => c.notNull().references('policies.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('policy_versions_pk', ['policy_id', 'version'])
    .execute();

  await db.schema
    .createTable('lists')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('lists_project_name', ['project_id', 'name'])
    .execute();

  await db.schema
    .createTable('list_entries')
    .addColumn('list_id', 'text', (c) => c.notNull().references('lists.id').onDelete('cascade'))
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('list_entries_pk', ['list_id', 'value'])
    .execute();

  await db.schema
    .createTable('challenges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('evaluation_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('device_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('channels', 'text', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // Keys this Vigil installation signs with (challenge links), made once and shared by every node.
  await db.schema
    .createTable('instance_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.createIndex('challenges_user_time').on('challenges').columns(['user_id', 'status', 'updated_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['instance_secrets', 'challenges', 'list_entries', 'lists', 'policy_versions', 'policies', 'project_origins', 'device_conflicts']) {
    await db.schema.dropTable(table).execute();
  }
  for (const index of [
    'evaluations_user_located',
    'user_ips_ip',
    'user_devices_device',
    'user_fingerprints_fingerprint',
    'evaluations_device_time',
    'evaluations_fingerprint_time',
    'evaluations_ip_time',
  ]) {
    await db.schema.dropIndex(index).execute();
  }
  await db.schema.alterTable('projects').dropColumn('risk_overrides').execute();
  await db.schema.alterTable('users').dropColumn('groups').execute();
  await db.schema.alterTable('users').dropColumn('metadata').execute();
  await db.schema.alterTable('devices').dropColumn('device_class').execute();
  for (const column of ['last_latitude', 'last_longitude', 'last_accuracy_km', 'last_geo_precision']) {
    await db.schema.alterTable('user_devices').dropColumn(column).execute();
  }
  for (const column of ['latitude', 'longitude', 'accuracy_km', 'geo_precision', 'country', 'ip_type', 'ip_info']) {
    await db.schema.alterTable('evaluations').dropColumn(column).execute();
  }
}
