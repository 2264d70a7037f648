// The real `vigil start`, configured as a user would run it, with one project to evaluate for.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runVigil, startVigil } from '../../e2e/support/vigil-process.js';
import type { Target } from './requests.js';

export interface BenchVigil extends Target {
  /** The project's secret key: a second node on the same database serves the same project. */
  secretKey: string;
  /** The project's client id (public: what a browser evaluates with); null for a project given by `secretKey`. */
  clientId: string | null;
  stop(): Promise<void>;
}

/**
 * `env` adds to the defaults (DATABASE_URL and DATABASE_SCHEMA for PostgreSQL; SQLite otherwise).
 * `secretKey`: a project that exists already (another node's), instead of a new one.
 */
export async function startBenchVigil(env: Record<string, string> = {}, options: { secretKey?: string } = {}): Promise<BenchVigil> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
  const fullEnv = {
    VIGIL_DATA_DIR: dataDir,
    // startVigil quiets the server to `warn` for the tests; `info` (a line per request) is what a user
    // runs by default, so that is what is measured.
    LOG_LEVEL: 'info',
    // The load generator is one loopback address and one secret key sending thousands of requests a
    // second, which is what the default limits exist to refuse: they are raised out of its way rather
    // than turned off, so that counting every request is still part of what is measured.
    VIGIL_RATE_LIMITS: 'client_ip=999999999/1m,client_id=999999999/1m,api_key=999999999/1m',
    ...env,
  };
  try {
    let secretKey = options.secretKey;
    let clientId: string | null = null;
    if (secretKey === undefined) {
      const created = await runVigil(['project', 'create', '--name', 'Bench', '--json'], fullEnv);
      if (created.code !== 0) throw new Error(`vigil project create failed (${created.code}):\n${created.stderr}`);
      ({ secret_key: secretKey, client_id: clientId } = JSON.parse(created.stdout) as { secret_key: string; client_id: string });
    }
    const vigil = await startVigil(fullEnv, { keepOutputChars: 20_000 });
    return {
      url: vigil.url,
      pid: vigil.pid,
      secretKey,
      clientId,
      headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
      stop: async () => {
        await vigil.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
