import type { Kysely } from 'kysely';

// Each user's familiar set (what their trusted logins looked like), as one bounded JSON document read
// with the user: a warm evaluation reads it with the row it reads anyway. Null until a login is learned.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('familiarity', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('familiarity').execute();
}
