import pg from 'pg';

// Tests make their own PostgreSQL schemas (t_store_…, t_srv_…, t_e2e_…). They are dropped here, once,
// when the whole run ends, and never while tests run: Kysely's migrator lists the tables of every
// schema, and a schema dropped by another test file in the middle of that query fails it.
const postgresUrl = process.env.VIGIL_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function dropTestSchemas(): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  try {
    await client.connect();
  } catch {
    // No PostgreSQL: the tests that need it fail loudly on their own; there is nothing to clean.
    return;
  }
  try {
    const { rows } = await client.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname ~ '^t_(store|srv|e2e)_[0-9a-f]+$'`);
    for (const { nspname } of rows) await client.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
  } finally {
    await client.end();
  }
}

export async function setup(): Promise<void> {
  await dropTestSchemas(); // leftovers of an interrupted run
}

export async function teardown(): Promise<void> {
  await dropTestSchemas();
}
