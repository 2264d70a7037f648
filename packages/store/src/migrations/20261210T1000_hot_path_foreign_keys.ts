import { type Kysely, PostgresAdapter, sql } from 'kysely';

// The foreign keys from the tables evaluations write to `projects` go, on PostgreSQL, as the
// evaluations' own went before (20261205T1100_evaluations_by_month). PostgreSQL checks each insert's
// key by locking the parent row FOR KEY SHARE, so every concurrent insert of a project locked its one
// `projects` row: under load a new multixact per lock, and a WAL record for it. A browser's evaluation
// inserts its nonce first: with the key, that insert cost 88 µs of the database's time, without it
// 46 µs (pg_stat_statements, the same load on both). A new user, device, fingerprint or sighting paid
// the same. The keys guarded nothing the code needs: projects are never deleted, and rows are only
// written with their project's id, which the request's key or client id resolved.
//
// The keys to users, devices and fingerprints stay: each locks its own subject's row, which the
// evaluation holds anyway, and erasing a user relies on their cascade. SQLite keeps every key: its
// checks are index lookups, with nothing locked.
const TABLES = ['nonces', 'users', 'devices', 'fingerprints', 'user_devices', 'user_fingerprints', 'user_ips', 'project_origins', 'webhook_deliveries'];

export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  const { rows } = await sql<{ table: string; name: string }>`
    select child.relname as table, conname as name from pg_constraint join pg_class child on child.oid = conrelid
    where contype = 'f' and confrelid = 'projects'::regclass and child.relname = any(${TABLES})`.execute(db);
  for (const { table, name } of rows) await sql`alter table ${sql.id(table)} drop constraint ${sql.id(name)}`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const table of TABLES) {
    await sql`alter table ${sql.id(table)} add foreign key (project_id) references projects (id) on delete cascade`.execute(db);
  }
}
