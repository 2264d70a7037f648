import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { runVigil, startVigil } from './support/vigil-process.js';

const postgresUrl = process.env.VIGIL_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dirs: string[] = [];
// PostgreSQL schemas made here are dropped when the run ends (vitest.global-setup.ts).
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function freshDataDir() {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-'));
  dirs.push(dir);
  return dir;
}

const createEvaluation = (url: string, secretKey: string) =>
  fetch(`${url}/v3/evaluations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'login', user: 'alice', ip: '203.0.113.7' }),
  });

describe('vigil on the embedded SQLite database', () => {
  it('creates a default project on the first start only, and prints its keys once', async () => {
    const env = { VIGIL_DATA_DIR: freshDataDir() };
    const first = await startVigil(env);
    try {
      const clientId = /client id\s+(cl_\w+)/.exec(first.output())?.[1];
      const secretKey = /secret key\s+(sk_\w+)/.exec(first.output())?.[1];
      expect(clientId).toBeDefined();
      expect(secretKey).toBeDefined();
      expect(first.output()).toContain(`${first.url}/sdk/vigil.js`);
      expect(await (await fetch(`${first.url}/healthz`)).json()).toEqual({ status: 'ok', dependencies: { database: 'up', redis: 'off' } });
      expect((await createEvaluation(first.url, secretKey!)).status).toBe(201);
    } finally {
      expect(await first.stop()).toBe(0);
    }
    const second = await startVigil(env);
    try {
      expect(second.output()).not.toContain('First start');
      expect(second.output()).not.toMatch(/sk_\w+/);
    } finally {
      await second.stop();
    }
    // Real vigil processes one after another: 9 s alone, up to twice that beside the suite.
  }, 90_000);

  it('migrates, creates projects with the server stopped and running, and rotates keys', async () => {
    const env = { VIGIL_DATA_DIR: freshDataDir() };
    const migrated = await runVigil(['migrate'], env);
    expect(migrated).toMatchObject({ code: 0 });
    expect(migrated.stdout).toContain('20261125T0200_initial');
    expect((await runVigil(['migrate'], env)).stdout).toContain('up to date');

    const offline = await runVigil(['project', 'create', '--name', 'Shop', '--origin', 'https://shop.example/', '--json'], env);
    expect(offline.code).toBe(0);
    const shop = JSON.parse(offline.stdout);
    expect(Object.keys(shop)).toEqual(['id', 'client_id', 'secret_key']);
    expect(shop).toMatchObject({ id: expect.stringMatching(/^pr_/), client_id: expect.stringMatching(/^cl_/), secret_key: expect.stringMatching(/^sk_/) });

    const server = await startVigil(env);
    try {
      // A project already exists, so no default one is made.
      expect(server.output()).not.toContain('First start');
      expect((await createEvaluation(server.url, shop.secret_key)).status).toBe(201);

      const online = JSON.parse((await runVigil(['project', 'create', '--name', 'Blog', '--json'], env)).stdout);
      expect((await createEvaluation(server.url, online.secret_key)).status).toBe(201);

      const list = JSON.parse((await runVigil(['project', 'list', '--json'], env)).stdout);
      expect(list.map((p: { name: string }) => p.name)).toEqual(['Shop', 'Blog']);
      expect(list[0].allowed_origins).toEqual(['https://shop.example']);
      expect(JSON.stringify(list)).not.toContain('sk_');

      // Two projects: rotate must be told which.
      const ambiguous = await runVigil(['key', 'rotate'], env);
      expect(ambiguous.code).toBe(2);
      expect(ambiguous.stderr).toContain('--project');

      const rotated = await runVigil(['key', 'rotate', '--project', shop.id, '--json'], env);
      expect(rotated.code).toBe(0);
      const { secret_key: newKey } = JSON.parse(rotated.stdout);
      expect(newKey).not.toBe(shop.secret_key);
      const refused = await createEvaluation(server.url, shop.secret_key);
      expect(refused.status).toBe(401);
      expect((await refused.json()).error.code).toBe('INVALID_SECRET_KEY');
      expect((await createEvaluation(server.url, newKey)).status).toBe(201);

      const graceful = JSON.parse((await runVigil(['key', 'rotate', '--project', shop.id, '--grace', '1h', '--json'], env)).stdout);
      expect((await createEvaluation(server.url, newKey)).status).toBe(201);
      expect((await createEvaluation(server.url, graceful.secret_key)).status).toBe(201);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    // Secrets go to the terminal once and nowhere else: not to the server's log.
    expect(server.output()).not.toContain(shop.secret_key);
    // Nine `vigil` processes and a server, one after another: 16 s alone, 22–30 s beside the rest of
    // the suite, so the default 30 s timed it out once; a hang still fails.
  }, 90_000);

  it('explains bad usage and bad configuration, with exit code 2', async () => {
    const env = { VIGIL_DATA_DIR: freshDataDir() };
    const noName = await runVigil(['project', 'create'], env);
    expect(noName).toMatchObject({ code: 2, stderr: expect.stringContaining('--name') });
    const badOrigin = await runVigil(['project', 'create', '--name', 'X', '--origin', 'https://x.example/path'], env);
    expect(badOrigin.code).not.toBe(0);
    expect(badOrigin.stderr).toContain('not an origin');
    const unknown = await runVigil(['frobnicate'], env);
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command') });
    const badConfig = await runVigil(['start'], { ...env, PORT: 'eighty', LOG_LEVEL: 'loud' });
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toContain('PORT');
    expect(badConfig.stderr).toContain('LOG_LEVEL');
    const help = await runVigil(['--help'], env);
    expect(help).toMatchObject({ code: 0, stdout: expect.stringContaining('project create') });
  });
});

describe('vigil on PostgreSQL', () => {
  it('starts, creates projects beside the running server, and serves evaluations', async () => {
    const schema = `t_e2e_${process.env.VIGIL_TEST_RUN ?? '0'}_${randomBytes(6).toString('hex')}`;
    const env = { VIGIL_DATA_DIR: freshDataDir(), DATABASE_URL: postgresUrl, DATABASE_SCHEMA: schema };
    const server = await startVigil(env);
    try {
      const secretKey = /secret key\s+(sk_\w+)/.exec(server.output())?.[1];
      expect((await createEvaluation(server.url, secretKey!)).status).toBe(201);
      const created = JSON.parse((await runVigil(['project', 'create', '--name', 'PG', '--json'], env)).stdout);
      const res = await createEvaluation(server.url, created.secret_key);
      expect(res.status).toBe(201);
      const evaluation = await res.json();
      const read = await fetch(`${server.url}/v3/evaluations/${evaluation.id}`, { headers: { authorization: `Bearer ${created.secret_key}` } });
      expect((await read.json()).checks).toMatchObject({ is_new_user: true, is_new_ip: true });
    } finally {
      expect(await server.stop()).toBe(0);
    }
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    const { rows } = await client.query('SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1', [schema]);
    await client.end();
    expect(rows[0].n).toBeGreaterThanOrEqual(10);
    // Real vigil processes one after another: 9 s alone, up to twice that beside the suite.
  }, 90_000);
});
