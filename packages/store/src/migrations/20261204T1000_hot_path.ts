import { type Kysely, sql } from 'kysely';

// The evaluation's hot path (docs/architecture.md):
// - `user_fingerprints.last_device_id`: the device this user last used with this fingerprint, read with the
//   user's row, so re-linking a device whose cookie was cleared (or a backend's v2 evaluation, which has
//   no cookie at all) is no longer a scan of the fingerprint's evaluations on every evaluation.
// - `evaluations_project_user_time` goes: the dashboard's user filter finds the user's id first and
//   uses `evaluations_user_time`; every index on evaluations is paid by every evaluation.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('user_fingerprints').addColumn('last_device_id', 'text').execute();
  await sql`
    update user_fingerprints set last_device_id = (
      select e.device_id from evaluations e
      where e.fingerprint_id = user_fingerprints.fingerprint_id and e.user_id = user_fingerprints.user_id and e.device_id is not null
      order by e.created_at desc limit 1
    )`.execute(db);
  await db.schema.dropIndex('evaluations_project_user_time').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('evaluations_project_user_time').on('evaluations').columns(['project_id', 'user_external_id', 'created_at']).execute();
  await db.schema.alterTable('user_fingerprints').dropColumn('last_device_id').execute();
}
