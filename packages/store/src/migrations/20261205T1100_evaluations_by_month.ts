import { type Kysely, PostgresAdapter, sql } from 'kysely';
import { ensureMonthlyPartitions, monthStart } from '../repositories/partitions.js';

// PostgreSQL keeps evaluations in one partition per month (by `created_at`), so that retention drops a
// month that has wholly passed instead of deleting its rows one by one (repositories/partitions.ts),
// and a month's indexes stay the size of a month. The table as it was becomes the partition of
// everything before next month, without copying a row; its indexes are rebuilt as the partitioned
// table's. The primary key becomes (id, created_at): a partitioned table's unique keys must hold the
// partition key (ids are random, so an id stays unique). SQLite has no partitions: nothing changes there.
//
// The foreign keys to projects and users go: every evaluation's insert checked both, each by locking
// the parent row FOR KEY SHARE, so every concurrent evaluation of a project shared a lock on its one
// projects row (a multixact per check under load), for nothing the code needs: an evaluation is only
// ever recorded with its user in the same transaction, projects are never deleted, and erasing a user
// deletes their evaluations itself (repositories/erasure.ts).
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`alter table evaluations rename to evaluations_before_partitioning`.execute(db);
  const { rows: indexes } = await sql<{ indexname: string; indexdef: string }>`
    select indexname, indexdef from pg_indexes where schemaname = current_schema() and tablename = 'evaluations_before_partitioning'`.execute(db);
  const { rows: constraints } = await sql<{ conname: string }>`
    select conname from pg_constraint where conrelid = 'evaluations_before_partitioning'::regclass and contype in ('p', 'f')`.execute(db);
  for (const { conname } of constraints) await sql`alter table evaluations_before_partitioning drop constraint ${sql.id(conname)}`.execute(db);
  const secondary = indexes.filter((i) => i.indexname !== 'evaluations_pkey');
  for (const { indexname } of secondary) await sql`drop index ${sql.id(indexname)}`.execute(db);
  await sql`create table evaluations (like evaluations_before_partitioning including defaults including constraints) partition by range (created_at)`.execute(db);
  await sql`alter table evaluations add constraint evaluations_pkey primary key (id, created_at)`.execute(db);
  // The same indexes, on the partitioned table (each partition gets its own).
  for (const { indexdef } of secondary) await sql.raw(indexdef.replace(/ ON (\S+\.)?evaluations_before_partitioning /, ' ON evaluations ')).execute(db);
  const nextMonth = monthStart(Date.now(), 1);
  await sql`alter table evaluations attach partition evaluations_before_partitioning for values from (minvalue) to (${sql.lit(nextMonth)})`.execute(db);
  // Whatever no month partition holds (a clock far off): kept, never refused.
  await sql`create table evaluations_default partition of evaluations default`.execute(db);
  await ensureMonthlyPartitions(db, Date.now());
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`alter table evaluations rename to evaluations_partitioned`.execute(db);
  const { rows: indexes } = await sql<{ indexname: string; indexdef: string }>`
    select indexname, indexdef from pg_indexes where schemaname = current_schema() and tablename = 'evaluations_partitioned' and indexname <> 'evaluations_pkey'`.execute(db);
  await sql`create table evaluations (like evaluations_partitioned including defaults including constraints)`.execute(db);
  await sql`insert into evaluations select * from evaluations_partitioned`.execute(db);
  await sql`drop table evaluations_partitioned cascade`.execute(db);
  await sql`alter table evaluations add primary key (id)`.execute(db);
  await sql`alter table evaluations add foreign key (project_id) references projects (id) on delete cascade`.execute(db);
  await sql`alter table evaluations add foreign key (user_id) references users (id) on delete cascade`.execute(db);
  for (const { indexdef } of indexes) await sql.raw(indexdef.replace(/ ON (ONLY )?(\S+\.)?evaluations_partitioned /, ' ON evaluations ')).execute(db);
}
