import { type Kysely, sql } from 'kysely';
import { newId } from '../ids.js';

// Several webhook endpoints per project, each subscribed to the events it wants, and each delivery
// addressed to one endpoint. An endpoint made before keeps its id-less row's URL and secret, under an id
// of its own, subscribed to what it was sent before and to the events added since (except
// `evaluation.created`, one per evaluation: opt-in).

/** Every event an existing endpoint is subscribed to (server/webhooks/events.ts: all but evaluation.created). */
const EXISTING_SUBSCRIPTION = [
  'challenge.initiated',
  'challenge.viewed',
  'challenge.completed',
  'challenge.skipped',
  'challenge.failed',
  'evaluation.denied',
  'user.suspended',
  'user.unsuspended',
  'user.account_sharing_signal',
  'device.logged_out',
  'list.entry_added',
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('webhook_endpoints_by_id')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('webhook_deliveries').addColumn('endpoint_id', 'text').execute();
  const existing = await db.selectFrom('webhook_endpoints').selectAll().execute();
  for (const endpoint of existing) {
    const id = newId('we');
    await db
      .insertInto('webhook_endpoints_by_id')
      .values({ id, project_id: endpoint.project_id, url: endpoint.url, secret: endpoint.secret, events: JSON.stringify(EXISTING_SUBSCRIPTION), created_at: endpoint.created_at })
      .execute();
    await db.updateTable('webhook_deliveries').set({ endpoint_id: id }).where('project_id', '=', endpoint.project_id).execute();
  }
  await db.schema.dropTable('webhook_endpoints').execute();
  await db.schema.alterTable('webhook_endpoints_by_id').renameTo('webhook_endpoints').execute();
  await db.schema.createIndex('webhook_endpoints_project').on('webhook_endpoints').columns(['project_id', 'created_at']).execute();
  await db.schema.createIndex('webhook_deliveries_project_time').on('webhook_deliveries').columns(['project_id', 'created_at']).execute();
  // Deliveries whose project had no endpoint any more can never be sent: they go.
  await sql`delete from webhook_deliveries where endpoint_id is null`.execute(db);
}

export async function down(): Promise<void> {
  // One endpoint per project cannot hold several: going back is restoring the backup taken before upgrading.
}
