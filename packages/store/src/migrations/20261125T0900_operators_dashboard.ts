import type { Kysely } from 'kysely';

// Operators of the dashboard and their sessions; indexes for its evaluation filters (newest first
// within a project, by verdict, action or user).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('operators')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_login_at', 'bigint')
    .execute();
  await db.schema
    .createTable('operator_sessions')
    // Only a hash of the session token: a database read does not give sessions away.
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('operator_id', 'text', (c) => c.notNull().references('operators.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('evaluations_project_verdict_time').on('evaluations').columns(['project_id', 'verdict', 'created_at']).execute();
  await db.schema.createIndex('evaluations_project_action_time').on('evaluations').columns(['project_id', 'action', 'created_at']).execute();
  await db.schema.createIndex('evaluations_project_user_time').on('evaluations').columns(['project_id', 'user_external_id', 'created_at']).execute();
  await db.schema.createIndex('challenges_project_time').on('challenges').columns(['project_id', 'created_at']).execute();
  await db.schema.createIndex('devices_project_last_seen').on('devices').columns(['project_id', 'last_seen_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('devices_project_last_seen').execute();
  await db.schema.dropIndex('challenges_project_time').execute();
  await db.schema.dropIndex('evaluations_project_user_time').execute();
  await db.schema.dropIndex('evaluations_project_action_time').execute();
  await db.schema.dropIndex('evaluations_project_verdict_time').execute();
  await db.schema.dropTable('operator_sessions').execute();
  await db.schema.dropTable('operators').execute();
}
