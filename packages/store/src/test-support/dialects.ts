import { randomBytes } from 'node:crypto';
import { openStore, type Store } from '../index.js';

export const postgresUrl = process.env.VIGIL_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A PostgreSQL schema of the test's own, dropped when the run ends (vitest.global-setup.ts drops `t_store_<run>_…`). */
export const testSchema = () => `t_store_${process.env.VIGIL_TEST_RUN ?? '0'}_${randomBytes(6).toString('hex')}`;

/** How the store's tests open a store on each dialect: SQLite in memory, PostgreSQL in a schema of its own. */
export const storeDialects = (poolSize = 4) => ({
  sqlite: () => openStore({ dialect: 'sqlite', file: ':memory:' }),
  postgres: () => openStore({ dialect: 'postgres', url: postgresUrl, schema: testSchema(), poolSize }),
});

/** A store from `open`, migrated, with one project created at `now`: what most store tests start from. */
export async function migratedWithProject(open: () => Promise<Store>, now: number): Promise<{ store: Store; projectId: string }> {
  const store = await open();
  await store.migrate();
  const { project } = await store.projects.create({ name: 'A', allowedOrigins: [], now });
  return { store, projectId: project.id };
}
