import { type Kysely, sql } from 'kysely';

// A challenge keeps the fingerprint its evaluation had. Whether a verification on this device last passed
// is read by every evaluation with a known user and fingerprint (history's one statement), and it joined
// each challenge to its evaluation for the fingerprint: on PostgreSQL that join is a scan of every
// monthly partition, set up on every evaluation even when the user never had a challenge (~3 % of the
// database's CPU per evaluation). Challenges opened before this take their evaluation's fingerprint.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('challenges').addColumn('fingerprint_id', 'text').execute();
  await sql`update challenges set fingerprint_id = (select evaluations.fingerprint_id from evaluations where evaluations.id = challenges.evaluation_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('challenges').dropColumn('fingerprint_id').execute();
}
