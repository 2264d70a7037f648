import { type Kysely, PostgresAdapter, sql } from 'kysely';

// PostgreSQL compresses a row's largest values once the row passes 2 kB, and an evaluation's row does
// (its checks and risks as JSON): with the default method (pglz) that was 5 % of the database's CPU per
// evaluation, in a profile under the cluster bench's load; with lz4, 1 %. Only where the server was
// built with lz4 (PostgreSQL 14 and later, as Debian's and the official images are); elsewhere nothing
// changes. The partitions there are now are set one by one: a partition created later takes the
// partitioned table's methods. Rows already stored stay as they are; SQLite compresses nothing.
const COLUMNS = ['checks', 'risks', 'reasons', 'ip_info', 'metadata', 'policy', 'challenge', 'user_agent'];

export async function up(db: Kysely<any>): Promise<void> {
  await setCompression(db, 'lz4');
}

export async function down(db: Kysely<any>): Promise<void> {
  await setCompression(db, 'default');
}

async function setCompression(db: Kysely<any>, method: 'lz4' | 'default'): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  const { rows: supported } = await sql<{ lz4: boolean }>`
    select coalesce(bool_or('lz4' = any(enumvals)), false) as lz4 from pg_settings where name = 'default_toast_compression'`.execute(db);
  if (!supported[0]?.lz4) return;
  const { rows: partitions } = await sql<{ name: string }>`
    select inhrelid::regclass::text as name from pg_inherits where inhparent = 'evaluations'::regclass`.execute(db);
  for (const table of ['evaluations', ...partitions.map((p) => p.name)]) {
    const alterations = COLUMNS.map((column) => sql`alter column ${sql.id(column)} set compression ${sql.raw(method)}`);
    await sql`alter table ${sql.raw(table)} ${sql.join(alterations)}`.execute(db);
  }
}
