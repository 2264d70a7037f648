import type { Kysely } from 'kysely';

// The live nodes (docs/deploy.md): each running server writes its row every few seconds, so a node can
// tell that it shares its database with others, and say so when they do not share a Redis.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('nodes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    // 1 when the node shares rate limits and change notices through Redis (REDIS_URL), else 0.
    .addColumn('shares_state', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('nodes').execute();
}
