import type { Kysely } from 'kysely';

// The device-limit challenge logs devices out of an account: the device's next evaluation tells its
// SDK so (once, while `logout_pending`), and sends it to the policy's logout_url. A logged-out device
// counts among the account's devices again only once it is used after that (last_seen_at > logged_out_at).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('user_devices').addColumn('logged_out_at', 'bigint').execute();
  await db.schema
    .alterTable('user_devices')
    .addColumn('logout_pending', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('user_devices').addColumn('logout_url', 'text').execute();
  // The policy that opened a challenge: a passed verification spares the same policy's challenge.
  await db.schema.alterTable('challenges').addColumn('policy_id', 'text').execute();
  // The project's own SMTP server and sender (sealed by the server: the URL may hold a password).
  await db.schema.alterTable('projects').addColumn('mail_settings', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('projects').dropColumn('mail_settings').execute();
  await db.schema.alterTable('challenges').dropColumn('policy_id').execute();
  await db.schema.alterTable('user_devices').dropColumn('logout_url').execute();
  await db.schema.alterTable('user_devices').dropColumn('logout_pending').execute();
  await db.schema.alterTable('user_devices').dropColumn('logged_out_at').execute();
}
