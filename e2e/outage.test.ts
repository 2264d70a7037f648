import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, startPostgres } from './support/postgres-server.js';
import { type RedisServer, startRedis } from './support/redis-server.js';
import { type RunningVigil, runVigil, startVigil } from './support/vigil-process.js';

// When PostgreSQL or Redis goes away, a node answers fast and honestly (503 UNAVAILABLE in our
// envelope, never a hang, never a 500), /healthz names what is down, and the node serves again by
// itself once it is back. Both servers are the test's own, on their own ports, stopped and started here.

const CASE_TIMEOUT_MS = 120_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a node whose PostgreSQL or Redis goes away', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-outage-'));
  let postgres: PostgresServer;
  let redis: RedisServer;
  let node: RunningVigil;
  let secretKey: string;

  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
    // LOG_LEVEL info: the test reads what the node says of the outage's start and end. The default rate
    // limits: an evaluation counts its secret key's requests in Redis.
    const env = { VIGIL_DATA_DIR: dir, DATABASE_URL: postgres.url, REDIS_URL: redis.url, LOG_LEVEL: 'info' };
    node = await startVigil(env);
    const created = await runVigil(['project', 'create', '--name', 'outage', '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    secretKey = (JSON.parse(created.stdout) as { secret_key: string }).secret_key;
  }, 90_000);
  afterAll(async () => {
    await node?.stop();
    await Promise.all([postgres?.close(), redis?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  let n = 0;
  /** One evaluation: its status and error code, or `hung` when no answer came within 10 s. */
  async function evaluate(): Promise<{ status: number | 'hung'; code: string | null; retryAfter: string | null }> {
    try {
      const res = await fetch(`${node.url}/v3/evaluations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'login', user: `user_${++n}`, ip: '203.0.113.9' }),
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await res.json()) as { error?: { code: string } };
      return { status: res.status, code: body.error?.code ?? null, retryAfter: res.headers.get('retry-after') };
    } catch {
      return { status: 'hung', code: null, retryAfter: null };
    }
  }

  async function health(): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${node.url}/healthz`, { signal: AbortSignal.timeout(10_000) });
    return { status: res.status, body: await res.json() };
  }

  /** Evaluates every 100 ms until one is a 201, for at most `ms`: the answers on the way. */
  async function untilServed(ms: number) {
    const answers: Awaited<ReturnType<typeof evaluate>>[] = [];
    const until = Date.now() + ms;
    while (Date.now() < until) {
      answers.push(await evaluate());
      if (answers.at(-1)!.status === 201) break;
      await sleep(100);
    }
    return answers;
  }

  it('serves while both are up', async () => {
    expect((await evaluate()).status).toBe(201);
    expect(await health()).toEqual({ status: 200, body: { status: 'ok', dependencies: { database: 'up', redis: 'up' } } });
  });

  it('PostgreSQL stopped: 503 UNAVAILABLE, /healthz says the database; restarted: served again, by itself', { timeout: CASE_TIMEOUT_MS }, async () => {
    await postgres.stop();
    const during = [await evaluate(), await evaluate(), await evaluate()];
    for (const answer of during) expect(answer).toEqual({ status: 503, code: 'UNAVAILABLE', retryAfter: '1' });
    expect(await health()).toEqual({ status: 503, body: { status: 'unavailable', dependencies: { database: 'down', redis: 'up' } } });
    await postgres.start();
    const recovering = await untilServed(15_000);
    expect(recovering.at(-1)!.status).toBe(201);
    // Nothing on the way back but 503s: no 500 from a connection the restart broke.
    for (const answer of recovering.slice(0, -1)) expect(answer.code).toBe('UNAVAILABLE');
    expect(await health()).toEqual({ status: 200, body: { status: 'ok', dependencies: { database: 'up', redis: 'up' } } });
  });

  it('PostgreSQL killed outright: the same, after its crash recovery', { timeout: CASE_TIMEOUT_MS }, async () => {
    await postgres.kill();
    expect(await evaluate()).toEqual({ status: 503, code: 'UNAVAILABLE', retryAfter: '1' });
    await postgres.start();
    const recovering = await untilServed(20_000);
    expect(recovering.at(-1)!.status).toBe(201);
    for (const answer of recovering.slice(0, -1)) expect(answer.code).toBe('UNAVAILABLE');
  });

  it('PostgreSQL killed under load: every answer a 201 or a 503, and the node lives on to serve again', { timeout: CASE_TIMEOUT_MS }, async () => {
    // Evaluations in flight hold connections between their statements: a server gone then must fail
    // those evaluations, not the process.
    let stopping = false;
    const statuses: (number | 'hung')[] = [];
    const clients = Array.from({ length: 8 }, async () => {
      while (!stopping) statuses.push((await evaluate()).status);
    });
    await sleep(1_000);
    await postgres.kill();
    await sleep(1_000);
    stopping = true;
    await Promise.all(clients);
    await postgres.start();
    const recovering = await untilServed(20_000);
    expect(recovering.at(-1)!.status).toBe(201);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 201 && s !== 503)).toEqual([]);
  });

  it('Redis stopped: 503 UNAVAILABLE, /healthz says Redis; restarted: served again, by itself', { timeout: CASE_TIMEOUT_MS }, async () => {
    await redis.stop();
    const during = [await evaluate(), await evaluate(), await evaluate()];
    for (const answer of during) expect(answer).toEqual({ status: 503, code: 'UNAVAILABLE', retryAfter: '1' });
    expect(await health()).toEqual({ status: 503, body: { status: 'unavailable', dependencies: { database: 'up', redis: 'down' } } });
    await redis.start();
    const recovering = await untilServed(10_000);
    expect(recovering.at(-1)!.status).toBe(201);
    for (const answer of recovering.slice(0, -1)) expect(answer.code).toBe('UNAVAILABLE');
    expect(await health()).toEqual({ status: 200, body: { status: 'ok', dependencies: { database: 'up', redis: 'up' } } });
    // The outage was logged once when it began and once when it ended, not once per retry.
    expect(node.output().match(/Redis is unreachable/g)?.length).toBe(1);
    expect(node.output()).toContain('Redis is reachable again');
  });
});
