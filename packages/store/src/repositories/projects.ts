import type { Kysely } from 'kysely';
import { sqliteConnectionOf } from '../database.js';
import { hot } from '../hot/compiled.js';
import { hashSecret, newId, newSecretKey } from '../ids.js';
import { fromJson, toJson } from '../json.js';
import type { Database, ProjectTable } from '../schema.js';

export type Environment = 'development' | 'production';

export interface Project {
  id: string;
  name: string;
  clientId: string;
  allowedOrigins: string[];
  /** The project's risk overrides and custom risks, as core's RiskOverrides (validated when saved). */
  riskOverrides: Record<string, unknown>;
  /** Days its evaluations are kept; null: the instance's default. */
  retentionDays: number | null;
  createdAt: number;
}

export interface NewProject {
  project: Project;
  environment: Environment;
  /** Shown once, here; only its hash is kept. */
  secretKey: string;
}

type ProjectRow = Pick<ProjectTable, 'id' | 'name' | 'client_id' | 'allowed_origins' | 'retention_days' | 'created_at'> & { risk_overrides?: string };

const PROJECT_COLUMNS = [
  'projects.id',
  'projects.name',
  'projects.client_id',
  'projects.allowed_origins',
  'projects.risk_overrides',
  'projects.retention_days',
  'projects.created_at',
] as const;
type KeyRow = ProjectRow & { risk_overrides: string; environment: string; expires_at: number | null };
type ClientRow = ProjectRow & { risk_overrides: string };

// Every API request opens its project by its secret key or client id: compiled once (hot/compiled.ts).
const projectBySecretKey = hot<{ hash: string }, KeyRow>((db, p) =>
  db
    .selectFrom('secret_keys')
    .innerJoin('projects', 'projects.id', 'secret_keys.project_id')
    .select([...PROJECT_COLUMNS, 'secret_keys.environment', 'secret_keys.expires_at'])
    .where('secret_keys.hash', '=', p.hash),
);
const projectByClientId = hot<{ clientId: string }, ClientRow>((db, p) => db.selectFrom('projects').select(PROJECT_COLUMNS).where('client_id', '=', p.clientId));

function toProject(row: ProjectRow): Project {
  return {
    id: row.id,
    name: row.name,
    clientId: row.client_id,
    allowedOrigins: fromJson<string[]>(row.allowed_origins, []),
    riskOverrides: fromJson<Record<string, unknown>>(row.risk_overrides ?? null, {}),
    retentionDays: row.retention_days === null || row.retention_days === undefined ? null : Number(row.retention_days),
    createdAt: row.created_at,
  };
}

async function insertSecretKey(db: Kysely<Database>, projectId: string, environment: Environment, now: number): Promise<string> {
  const secretKey = newSecretKey();
  await db
    .insertInto('secret_keys')
    .values({
      id: newId('key'),
      project_id: projectId,
      environment,
      hash: hashSecret(secretKey),
      hint: secretKey.slice(-4),
      created_at: now,
      expires_at: null,
    })
    .execute();
  return secretKey;
}

/**
 * The projects that secret keys and client ids opened, kept between requests. Looked up at every
 * request, they were a read of their own each time (on SQLite a read transaction, a seventh of a warm
 * evaluation's CPU; on PostgreSQL a round trip, a tenth of its CPU and the database's), for rows that
 * change rarely. This repository forgets everything when it writes a project or a key. Other writers:
 * - SQLite: exact. Every hit first asks SQLite whether another connection (the CLI rotating a key)
 *   committed since: `PRAGMA data_version` changes then and only then. It is asked only when the file's
 *   WAL-index header moved since the last hit (`wal-index-watch.ts`): under load, once per group commit
 *   rather than at every request.
 * - PostgreSQL: a lease. Another node's (or the CLI's) write is seen once what is kept is
 *   `POSTGRES_LEASE_MS` old: a revoked key or a changed setting works for at most that long elsewhere.
 */
function projectLookups(db: Kysely<Database>) {
  const sqlite = sqliteConnectionOf.get(db);
  const dataVersion = sqlite?.connection.prepare('pragma data_version').pluck();
  const walIndex = sqlite?.walIndex ?? null;
  const rows = new Map<string, { row: unknown; keptAt: number }>();
  let version: unknown = null;
  /** Counts what was forgotten, so that a read which raced with a write does not keep what it read. */
  let generation = 0;
  const forget = () => {
    generation++;
    rows.clear();
  };
  async function find<R>(key: string, read: () => Promise<R | undefined>): Promise<R | null> {
    if (dataVersion && (walIndex === null || walIndex.mayHaveChanged())) {
      const now = dataVersion.get();
      if (now !== version) {
        forget();
        version = now;
      }
    }
    const known = rows.get(key);
    // A monotonic clock: the lease is real time, whatever time the evaluations are told it is.
    if (known !== undefined && (dataVersion || performance.now() - known.keptAt < POSTGRES_LEASE_MS)) return known.row as R;
    const readAt = generation;
    const row = (await read()) ?? null;
    // What opens nothing is not kept: a key or project created a moment later works at once.
    if (row !== null && readAt === generation) {
      if (rows.size >= MAX_LOOKUPS_KEPT) rows.clear();
      rows.set(key, { row, keptAt: performance.now() });
    } else if (row === null) rows.delete(key);
    return row;
  }
  return {
    bySecretKey: (hash: string) => find<KeyRow>(`key:${hash}`, () => projectBySecretKey.first(db, { hash })),
    byClientId: (clientId: string) => find<ClientRow>(`client:${clientId}`, () => projectByClientId.first(db, { clientId })),
    forget,
  };
}

/** How long a PostgreSQL node keeps what a key or client id opened: well within the second the cluster promises. */
export const POSTGRES_LEASE_MS = 500;

/** Lookups kept at most (a few hundred bytes each); past it the keeping starts over. */
const MAX_LOOKUPS_KEPT = 1_000;

export function projectRepository(db: Kysely<Database>) {
  const lookups = projectLookups(db);
  /** Runs a write to projects or keys; what was kept is forgotten once it is done (and a read it overlapped is not kept). */
  const writing = async <T>(write: () => Promise<T>): Promise<T> => {
    try {
      return await write();
    } finally {
      lookups.forget();
    }
  };
  return {
    async create(input: { name: string; allowedOrigins: string[]; now: number; environment?: Environment }): Promise<NewProject> {
      const environment = input.environment ?? 'production';
      return writing(() =>
        db.transaction().execute(async (trx) => {
          const row: Omit<ProjectTable, 'risk_overrides'> = {
            id: newId('pr'),
            name: input.name,
            client_id: newId('cl'),
            allowed_origins: toJson(input.allowedOrigins),
            mail_settings: null,
            retention_days: null,
            created_at: input.now,
            updated_at: input.now,
          };
          await trx.insertInto('projects').values(row).execute();
          const secretKey = await insertSecretKey(trx, row.id, environment, input.now);
          return { project: toProject(row), environment, secretKey };
        }),
      );
    },

    async list(): Promise<Project[]> {
      const rows = await db.selectFrom('projects').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map(toProject);
    },

    async count(): Promise<number> {
      const row = await db
        .selectFrom('projects')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async findById(id: string): Promise<Project | null> {
      const row = await db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toProject(row) : null;
    },

    async findByClientId(clientId: string): Promise<Project | null> {
      const row = await lookups.byClientId(clientId);
      return row ? toProject(row) : null;
    },

    async setRiskOverrides(projectId: string, overrides: Record<string, unknown>, now: number): Promise<void> {
      await writing(() =>
        db
          .updateTable('projects')
          .set({ risk_overrides: toJson(overrides), updated_at: now })
          .where('id', '=', projectId)
          .execute(),
      );
    },

    async setRetentionDays(projectId: string, days: number | null, now: number): Promise<void> {
      await writing(() => db.updateTable('projects').set({ retention_days: days, updated_at: now }).where('id', '=', projectId).execute());
    },

    /** The project's sealed mail settings (the server seals and opens them), or null. */
    async mailSettings(projectId: string): Promise<string | null> {
      const row = await db.selectFrom('projects').select('mail_settings').where('id', '=', projectId).executeTakeFirst();
      return row?.mail_settings ?? null;
    },

    async setMailSettings(projectId: string, sealed: string | null, now: number): Promise<void> {
      await db.updateTable('projects').set({ mail_settings: sealed, updated_at: now }).where('id', '=', projectId).execute();
    },

    /** The project a secret key opens, and for which environment; null for an unknown or expired key. */
    async findBySecretKey(secretKey: string, now: number): Promise<{ project: Project; environment: Environment } | null> {
      const hash = hashSecret(secretKey);
      const row = await lookups.bySecretKey(hash);
      if (!row || (row.expires_at !== null && row.expires_at <= now)) return null;
      const { environment, expires_at: _expiresAt, ...project } = row;
      return { project: toProject(project), environment: environment as Environment };
    },

    /**
     * Issues a new secret key for the environment. The keys it replaces stop working after `graceMs`
     * (0: at once), so a backend can be redeployed with the new key before the old one dies.
     */
    async rotateSecretKey(input: { projectId: string; environment: Environment; now: number; graceMs: number }): Promise<string> {
      return writing(() =>
        db.transaction().execute(async (trx) => {
          const expiresAt = input.now + input.graceMs;
          await trx
            .updateTable('secret_keys')
            .set({ expires_at: expiresAt })
            .where('project_id', '=', input.projectId)
            .where('environment', '=', input.environment)
            .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', expiresAt)]))
            .execute();
          return insertSecretKey(trx, input.projectId, input.environment, input.now);
        }),
      );
    },
  };
}

export type ProjectRepository = ReturnType<typeof projectRepository>;
