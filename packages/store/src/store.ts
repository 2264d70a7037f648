import { type Kysely, sql } from 'kysely';
import { groupCommit } from './hot/group-commit.js';
import { subjectLocks } from './hot/subject-locks.js';
import { type DatabaseOptions, type Dialect, migrateToLatest, openDatabase, sqliteConnectionOf } from './database.js';
import { runDirectlyOn } from './hot/compiled.js';
import { type EvaluationRecord, type NewEvaluation, evaluationRepository, recordEvaluation, writingTogether } from './repositories/evaluations/index.js';
import { challengeRepository } from './repositories/challenges.js';
import { historyRepository } from './repositories/history/index.js';
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
import { nodeRepository } from './repositories/nodes.js';
import type { Database } from './schema.js';

/** What one evaluation reads and writes, all on the transaction it runs in. */
export interface EvaluationScope {
  readonly history: ReturnType<typeof historyRepository>;
  readonly lists: Pick<ReturnType<typeof listRepository>, 'membership'>;
  readonly nonces: Pick<ReturnType<typeof nonceRepository>, 'redeem'>;
  readonly instanceSecrets: ReturnType<typeof instanceSecretRepository>;
  record(e: NewEvaluation): Promise<EvaluationRecord>;
}

/**
 * The subjects of an evaluation, as `Store.evaluating` takes them: two evaluations that share one do
 * not overlap. Names are per project, so two projects never wait for each other.
 */
export function evaluationSubjects(projectId: string, of: { user: string; ip: string | null; fingerprint: string | null; deviceCookieId: string | null }): string[] {
  const subjects = [`${projectId}\u0000user\u0000${of.user}`];
  if (of.ip !== null) subjects.push(`${projectId}\u0000ip\u0000${of.ip}`);
  if (of.fingerprint !== null) subjects.push(`${projectId}\u0000fingerprint\u0000${of.fingerprint}`);
  if (of.deviceCookieId !== null) subjects.push(`${projectId}\u0000device\u0000${of.deviceCookieId}`);
  return subjects;
}

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
  readonly nodes: ReturnType<typeof nodeRepository>;
  /** Asks the database for nothing: rejects when it cannot be reached (`/healthz`). */
  ping(): Promise<void>;
  /**
   * Runs one evaluation's reads, decision and writes as one unit: no other evaluation that shares a
   * subject (`evaluationSubjects`) runs between its reads and its writes, so what it counts is what a
   * serial run counts; and the promise settles only once its writes are committed, so an answer given
   * is an evaluation kept. `work` must use only `scope` for the database (on SQLite, a query on the
   * store itself would wait for the transaction that waits for it). It may run more than once: when a
   * piece of work sharing its transaction fails, each runs again in a transaction of its own, and only
   * the last run's writes are kept.
   */
  evaluating<T>(subjects: readonly string[], work: (scope: EvaluationScope) => Promise<T>): Promise<T>;
  /** Applies pending migrations; returns the names of those it applied. */
  migrate(): Promise<string[]>;
  close(): Promise<void>;
}

export async function openStore(options: DatabaseOptions): Promise<Store> {
  const db = await openDatabase(options);
  const secrets = new Map<string, string>();
  const scopeOf = (trx: Kysely<Database>): EvaluationScope => {
    // On PostgreSQL, the evaluations sharing a transaction write side by side where they can.
    const write = writingTogether(trx);
    return {
      history: historyRepository(trx),
      lists: listRepository(trx),
      nonces: nonceRepository(trx),
      instanceSecrets: instanceSecretRepository(trx, secrets, { keeps: false }),
      record: (e) => recordEvaluation(trx, e, write),
    };
  };
  // SQLite has one writer: evaluations run one after another and commit in groups, their hot statements
  // straight on its connection. PostgreSQL runs them side by side, those that share a subject one after
  // another (hot/subject-locks.ts).
  let evaluating: Store['evaluating'];
  const sqlite = sqliteConnectionOf.get(db);
  if (sqlite) {
    const { connection, betweenTransactions } = sqlite;
    const lane = groupCommit(
      db,
      (trx) => {
        runDirectlyOn(trx, connection);
        return scopeOf(trx);
      },
      { connection, betweenGroups: betweenTransactions },
    );
    evaluating = (_subjects, work) => lane.run(work);
  } else {
    const locks = subjectLocks(db, scopeOf, options.dialect === 'postgres' ? { maxGroup: options.groupSize } : {});
    evaluating = (subjects, work) => locks.run(subjects, work);
  }
  return {
    evaluating,
    dialect: options.dialect,
    db,
    projects: projectRepository(db),
    nonces: nonceRepository(db),
    history: historyRepository(db),
    evaluations: evaluationRepository(db),
    policies: policyRepository(db),
    lists: listRepository(db),
    challenges: challengeRepository(db),
    instanceSecrets: instanceSecretRepository(db, secrets),
    users: userRepository(db),
    webhooks: webhookRepository(db),
    operators: operatorRepository(db),
    devices: deviceRepository(db),
    links: linkRepository(db),
    retention: retentionRepository(db),
    erasure: erasureRepository(db),
    familiarity: familiarityRepository(db),
    nodes: nodeRepository(db),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    migrate: () => migrateToLatest(db, options),
    // Resolves once nothing of the store touches its files any more: a caller may remove them then.
    close: async () => {
      await db.destroy();
      await sqliteConnectionOf.get(db)?.closed();
    },
  };
}
