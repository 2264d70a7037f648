import { type Kysely, sql } from 'kysely';

// A challenge keeps the contact (email, phone) the user had when it was opened, and its codes go only
// there: a browser that later names another address, or a contact changed after the challenge opened,
// cannot redirect a code. Challenges opened before this migration take the user's contact as it is now.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('challenges').addColumn('email', 'text').execute();
  await db.schema.alterTable('challenges').addColumn('phone', 'text').execute();
  await sql`update challenges set email = (select users.email from users where users.id = challenges.user_id), phone = (select users.phone from users where users.id = challenges.user_id)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('challenges').dropColumn('phone').execute();
  await db.schema.alterTable('challenges').dropColumn('email').execute();
}
