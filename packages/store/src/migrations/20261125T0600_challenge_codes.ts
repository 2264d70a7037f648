import type { Kysely } from 'kysely';

// The code a verification challenge sent: one per challenge, kept hashed (an HMAC with the
// installation's secret, since six digits are no secret against an offline guess), with its attempts,
// sends and expiry.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('challenge_codes')
    .addColumn('challenge_id', 'text', (c) => c.primaryKey().references('challenges.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('destination', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sends', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_sent_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('challenge_codes').execute();
}
