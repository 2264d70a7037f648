import { randomBytes } from 'node:crypto';
import { MIGRATION_LOCK } from '@vigil/store';
import pg from 'pg';

// Tests make their own PostgreSQL schemas (t_store_<run>_…, t_srv_<run>_…, t_e2e_<run>_…). They are
// dropped here, once, when the whole run ends, and never while tests run: Kysely's migrator lists the
// tables of every schema, and a schema dropped in the middle of that query fails it. The run's id is
// in the names so that two runs on one PostgreSQL (a developer's and CI's) never drop each other's.
const postgresUrl = process.env.VIGIL_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const run = randomBytes(4).toString('hex');

/** Drops this run's schemas, or (`leftovers`) every run's, when no one else is connected to PostgreSQL. */
async function dropTestSchemas(which: 'this run' | 'leftovers'): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  try {
    await client.connect();
  } catch {
    // No PostgreSQL: the tests that need it fail loudly on their own; there is nothing to clean.
    return;
  }
  try {
    if (which === 'leftovers') {
      const { rows: others } = await client.query(
        `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
      );
      if (others.length > 0) return; // another run may be using its schemas: leave them
    }
    const pattern = which === 'this run' ? `^t_(store|srv|e2e)_${run}_[0-9a-f]+$` : '^t_(store|srv|e2e)_[0-9a-f_]+$';
    // Under the migrations' advisory lock (store/src/database.ts): another run's migrator, which lists the
    // tables of every schema, never sees one of these go in the middle of its query.
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const { rows } = await client.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname ~ $1`, [pattern]);
    for (const { nspname } of rows) await client.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
  } finally {
    await client.end();
  }
}

export async function setup(): Promise<void> {
  process.env.VIGIL_TEST_RUN = run; // the test workers inherit it
  await dropTestSchemas('leftovers'); // of interrupted runs
}

export async function teardown(): Promise<void> {
  await dropTestSchemas('this run');
}
