import type { Kysely } from 'kysely';
import { type DatabaseOptions, type Dialect, migrateToLatest, openDatabase } from './database.js';
import { evaluationRepository } from './repositories/evaluations.js';
import { challengeRepository } from './repositories/challenges.js';
import { historyRepository } from './repositories/history.js';
import { instanceSecretRepository } from './repositories/instance-secrets.js';
import { listRepository } from './repositories/lists.js';
import { policyRepository } from './repositories/policies.js';
import { userRepository } from './repositories/users.js';
import { webhookRepository } from './repositories/webhooks.js';
import { nonceRepository } from './repositories/nonces.js';
import { projectRepository } from './repositories/projects.js';
import { operatorRepository } from './repositories/operators.js';
import { deviceRepository } from './repositories/devices.js';
import { linkRepository } from './repositories/links.js';
import { retentionRepository } from './repositories/retention.js';
import { erasureRepository } from './repositories/erasure.js';
import { familiarityRepository } from './repositories/familiarity.js';
import type { Database } from './schema.js';

export interface Store {
  readonly dialect: Dialect;
  /** The query builder, for the repositories and for tests that assert what was stored. */
  readonly db: Kysely<Database>;
  readonly projects: ReturnType<typeof projectRepository>;
  readonly nonces: ReturnType<typeof nonceRepository>;
  readonly history: ReturnType<typeof historyRepository>;
  readonly evaluations: ReturnType<typeof evaluationRepository>;
  readonly policies: ReturnType<typeof policyRepository>;
  readonly lists: ReturnType<typeof listRepository>;
  readonly challenges: ReturnType<typeof challengeRepository>;
  readonly instanceSecrets: ReturnType<typeof instanceSecretRepository>;
  readonly users: ReturnType<typeof userRepository>;
  readonly webhooks: ReturnType<typeof webhookRepository>;
  readonly operators: ReturnType<typeof operatorRepository>;
  readonly devices: ReturnType<typeof deviceRepository>;
  readonly links: ReturnType<typeof linkRepository>;
  readonly retention: ReturnType<typeof retentionRepository>;
  readonly erasure: ReturnType<typeof erasureRepository>;
  readonly familiarity: ReturnType<typeof familiarityRepository>;
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
    policies: policyRepository(db),
    lists: listRepository(db),
    challenges: challengeRepository(db),
    instanceSecrets: instanceSecretRepository(db),
    users: userRepository(db),
    webhooks: webhookRepository(db),
    operators: operatorRepository(db),
    devices: deviceRepository(db),
    links: linkRepository(db),
    retention: retentionRepository(db),
    erasure: erasureRepository(db),
    familiarity: familiarityRepository(db),
    migrate: () => migrateToLatest(db, options),
    close: () => db.destroy(),
  };
}
