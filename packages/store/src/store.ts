import type { Kysely } from 'kysely';
import { type DatabaseOptions, type Dialect, migrateToLatest, openDatabase } from './database.js';
import { evaluationRepository } from './repositories/evaluations.js';
import { historyRepository } from './repositories/history.js';
import { nonceRepository } from './repositories/nonces.js';
import { projectRepository } from './repositories/projects.js';
import type { Database } from './schema.js';

export interface Store {
  readonly dialect: Dialect;
  /** The query builder, for the repositories and for tests that assert what was stored. */
  readonly db: Kysely<Database>;
  readonly projects: ReturnType<typeof projectRepository>;
  readonly nonces: ReturnType<typeof nonceRepository>;
  readonly history: ReturnType<typeof historyRepository>;
  readonly evaluations: ReturnType<typeof evaluationRepository>;
  /** Applies pending migrations; returns the names of those it applied. */
  migrate(): Promise<string[]>;
  close(): Promise<void>;
}

export async function openStore(options: DatabaseOptions): Promise<Store> {
  const db = await openDatabase(options);
  return {
    dialect: options.dialect,
    db,
    projects: projectRepository(db),
    nonces: nonceRepository(db),
    history: historyRepository(db),
    evaluations: evaluationRepository(db),
    migrate: () => migrateToLatest(db, options),
    close: () => db.destroy(),
  };
}
