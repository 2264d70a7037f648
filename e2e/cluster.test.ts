import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedis } from './support/redis-server.js';
import { type RunningVigil, runVigil, startVigil } from './support/vigil-process.js';

// Two Vigil nodes on one PostgreSQL and one Redis, as a site runs them behind a load balancer: what one
// node promises, the pair promises. (Counts, nonces and consumes across nodes: concurrency.test.ts.)

const postgresUrl = process.env.VIGIL_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CASE_TIMEOUT_MS = 90_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Project {
  id: string;
  client_id: string;
  secret_key: string;
}
interface Answer {
  status: number;
  body: any;
}

describe('two nodes on one PostgreSQL and one Redis', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-cluster-'));
  const smsFile = join(dir, 'sms.jsonl');
  let redis: RedisServer;
  let env: Record<string, string>;
  const nodes: RunningVigil[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    env = {
      VIGIL_DATA_DIR: dir,
      DATABASE_URL: postgresUrl,
      // Dropped when the run ends (vitest.global-setup.ts).
      DATABASE_SCHEMA: `t_e2e_${process.env.VIGIL_TEST_RUN ?? '0'}_${randomBytes(6).toString('hex')}`,
      REDIS_URL: redis.url,
      VIGIL_SMS: `file:${smsFile}`,
      // Client requests are limited per client id only (every request here comes from 127.0.0.1).
      VIGIL_RATE_LIMITS: 'client_ip=0,client_id=30/1m',
    };
    // Started together: both migrate the new schema at once, under the migration lock.
    nodes.push(...(await Promise.all([startVigil({ ...env, VIGIL_NODE_NAME: 'node-a' }), startVigil({ ...env, VIGIL_NODE_NAME: 'node-b' })])));
  }, 90_000);
  afterAll(async () => {
    for (const node of nodes) await node.stop();
    await redis?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const [A, B] = [0, 1];
  const urlOf = (node: number) => nodes[node % nodes.length]!.url;

  async function newProject(name: string): Promise<Project> {
    const created = await runVigil(['project', 'create', '--name', name, '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    return JSON.parse(created.stdout) as Project;
  }

  async function api(node: number, project: Project, method: string, path: string, body?: unknown): Promise<Answer> {
    const res = await fetch(`${urlOf(node)}${path}`, {
      method,
      headers: { authorization: `Bearer ${project.secret_key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: res.status === 204 ? null : await res.json() };
  }

  const tally = <T>(answers: T[], name: (a: T) => string) => {
    const out: Record<string, number> = {};
    for (const a of answers) out[name(a)] = (out[name(a)] ?? 0) + 1;
    return out;
  };

  it('both nodes migrated one schema and each knows the other is live', async () => {
    for (const node of nodes) {
      const health = await fetch(`${node.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', dependencies: { database: 'up', redis: 'up' } });
      // Both share state through Redis: no warning about nodes that do not.
      expect(node.output()).not.toContain('no REDIS_URL');
    }
    // `vigil nodes` names them from their heartbeats.
    const listed = await runVigil(['nodes', '--json'], env);
    expect(listed.code, listed.stderr).toBe(0);
    const live = JSON.parse(listed.stdout) as { name: string; shares_state: boolean }[];
    expect(live.map((n) => [n.name, n.shares_state]).sort()).toEqual([
      ['node-a', true],
      ['node-b', true],
    ]);
  });

  it('a rate limit is global: 30 requests per client id in all, not 30 per node', { timeout: CASE_TIMEOUT_MS }, async () => {
    const project = await newProject('rate limit');
    const answers = await Promise.all(
      Array.from({ length: 90 }, async (_, i) => {
        const res = await fetch(`${urlOf(i)}/v3/client/nonce`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ client_id: project.client_id }),
        });
        return { status: res.status, body: await res.json() };
      }),
    );
    expect(tally(answers, (a) => (a.status === 200 ? 'allowed' : `${a.status} ${a.body.error?.code}`))).toEqual({ allowed: 30, '429 RATE_LIMITED': 60 });
  });

  it("a challenge's five attempts are five in all, whichever node each wrong code reaches", { timeout: CASE_TIMEOUT_MS }, async () => {
    const project = await newProject('challenge attempts');
    const policy = await api(A, project, 'POST', '/v3/policies', {
      name: 'Verify every login',
      events: ['login'],
      priority: 1,
      conditions: { field: 'action', operator: 'eq', value: 'login' },
      action: { type: 'challenge', challenge: { type: 'verification', channels: ['sms'] } },
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);
    const evaluation = await api(A, project, 'POST', '/v3/evaluations', { action: 'login', user: 'guessed', phone: '+14155550123', ip: '203.0.113.7' });
    expect(evaluation.body.verdict).toBe('challenge');
    const challenge = evaluation.body.challenge.id as string;
    const sent = await api(B, project, 'POST', `/v3/challenges/${challenge}/send`, { channel: 'sms' });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const code = /\b(\d{6})\b/.exec((JSON.parse(readFileSync(smsFile, 'utf8').trim().split('\n').at(-1)!) as { text: string }).text)![1]!;
    const wrong = code === '000000' ? '111111' : '000000';
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => api(i, project, 'POST', `/v3/challenges/${challenge}/verify`, { code: wrong })));
    expect(tally(answers, (a) => `${a.status} ${a.body.error?.code}${/five times/.test(a.body.error?.message) ? ' (the fifth)' : ''}`)).toEqual({
      '422 CHALLENGE_CODE_INVALID': 4,
      '409 CHALLENGE_CLOSED (the fifth)': 1,
      '409 CHALLENGE_CLOSED': 15,
    });
    // The right code comes too late, on either node.
    for (const node of [A, B]) expect((await api(node, project, 'POST', `/v3/challenges/${challenge}/verify`, { code })).body.error?.code).toBe('CHALLENGE_CLOSED');
  });

  it('a policy enabled on node A decides on node B within one second; a list entry added on A, at once', { timeout: CASE_TIMEOUT_MS }, async () => {
    const project = await newProject('policy change');
    const login = { action: 'login', user: 'traveller', ip: '198.51.100.77' };
    const created = await api(A, project, 'POST', '/v3/policies', {
      name: 'Deny logins',
      events: ['login'],
      priority: 1,
      enabled: false,
      conditions: { field: 'action', operator: 'eq', value: 'login' },
      action: { type: 'deny' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // B has just read the project's policies (and keeps them for 2 s unless told otherwise).
    expect((await api(B, project, 'POST', '/v3/evaluations', login)).body.verdict).toBe('allow');
    const enabledAt = Date.now();
    expect((await api(A, project, 'POST', `/v3/policies/${created.body.id}/enable`)).status).toBe(200);
    let verdict = '';
    while (verdict !== 'deny' && Date.now() - enabledAt < 3_000) {
      verdict = (await api(B, project, 'POST', '/v3/evaluations', login)).body.verdict;
      if (verdict !== 'deny') await sleep(20);
    }
    expect(verdict).toBe('deny');
    expect(Date.now() - enabledAt).toBeLessThan(1_000);

    // Lists are read at each evaluation: an entry added on A blocks on B at once.
    expect((await api(A, project, 'POST', `/v3/policies/${created.body.id}/disable`)).status).toBe(200);
    const list = await api(A, project, 'POST', '/v3/lists', { name: 'blocked_ips', type: 'ip' });
    expect(list.status, JSON.stringify(list.body)).toBe(201);
    const byList = await api(A, project, 'POST', '/v3/policies', {
      name: 'Blocked IPs',
      events: ['login'],
      priority: 2,
      conditions: { field: 'in_list:blocked_ips', operator: 'eq', value: true },
      action: { type: 'deny' },
    });
    expect(byList.status, JSON.stringify(byList.body)).toBe(201);
    expect((await api(B, project, 'POST', '/v3/evaluations', login)).body.verdict).toBe('allow');
    expect((await api(A, project, 'POST', `/v3/lists/${list.body.id}/add`, { value: login.ip })).status).toBe(200);
    expect((await api(B, project, 'POST', '/v3/evaluations', login)).body.verdict).toBe('deny');
  });

  it('risk settings changed on node A are in force on node B within one second', { timeout: CASE_TIMEOUT_MS }, async () => {
    const project = await newProject('risk settings');
    // B has just opened the project by its key (and keeps what it opened for a short lease).
    expect((await api(B, project, 'GET', '/v3/risks')).body.overrides).toEqual({});
    const overrides = { ato: { thresholds: { medium: 1, high: 2, maximum: 100 } } };
    expect((await api(A, project, 'PUT', '/v3/risks', overrides)).status).toBe(200);
    const changedAt = Date.now();
    let seen: unknown = {};
    while (!isDeepStrictEqual(seen, overrides) && Date.now() - changedAt < 3_000) {
      seen = (await api(B, project, 'GET', '/v3/risks')).body.overrides;
      if (!isDeepStrictEqual(seen, overrides)) await sleep(20);
    }
    expect(seen).toEqual(overrides);
    expect(Date.now() - changedAt).toBeLessThan(1_000);
  });

  it('a node without Redis on the same database says so, naming the live nodes', { timeout: CASE_TIMEOUT_MS }, async () => {
    const { REDIS_URL: _, ...withoutRedis } = env;
    const lone = await startVigil({ ...withoutRedis, VIGIL_NODE_NAME: 'node-lone' });
    try {
      expect(lone.output()).toMatch(/shared with 2 other live nodes \((node-a, node-b|node-b, node-a)\).*node-lone \(this node\) has no REDIS_URL/);
    } finally {
      expect(await lone.stop()).toBe(0);
    }
  });

  /** Evaluations from `loops` concurrent loops, spread over `targets()`, until `stopped()`: every answer kept. */
  async function load(project: Project, targets: () => number[], stopped: () => boolean, loops = 8) {
    const acknowledged = new Map<string, number>();
    // When each request went out and when its answer came: which phase a request belongs to is decided
    // by when it was sent (an answer can arrive late on a loaded machine), and it must be back before
    // the phase ended.
    const answers: { sentAt: number; at: number; status: number; code: string | null }[] = [];
    let unanswered = 0;
    await Promise.all(
      Array.from({ length: loops }, async (_, n) => {
        for (let i = 0; !stopped(); i++) {
          const now = targets();
          const node = now[(n + i) % now.length]!;
          const sentAt = Date.now();
          try {
            const res = await fetch(`${urlOf(node)}/v3/evaluations`, {
              method: 'POST',
              headers: { authorization: `Bearer ${project.secret_key}`, 'content-type': 'application/json' },
              body: JSON.stringify({ action: 'login', user: `user_${n}_${i}`, ip: `198.51.${n}.${(i % 250) + 1}` }),
              signal: AbortSignal.timeout(10_000),
            });
            const body = JSON.parse(await res.text()) as { id?: string; error?: { code: string } };
            answers.push({ sentAt, at: Date.now(), status: res.status, code: body.error?.code ?? null });
            if (res.status === 201) acknowledged.set(body.id!, node);
          } catch {
            unanswered++;
            await sleep(10);
          }
        }
      }),
    );
    return { acknowledged, answers, unanswered };
  }

  it('Redis restarted under load: nothing but 503 UNAVAILABLE while it is down, full service after', { timeout: CASE_TIMEOUT_MS }, async () => {
    const project = await newProject('redis restart');
    let stopped = false;
    // The outage runs from the moment Redis has stopped to the moment its start begins: `start()` resolves
    // only once Redis answers a PING (polled every 50 ms), and the nodes may reconnect before that.
    const phases = { stoppedAt: 0, restartingAt: 0, startedAt: 0 };
    const running = load(
      project,
      () => [A, B],
      () => stopped,
    );
    await sleep(700);
    await redis.stop();
    phases.stoppedAt = Date.now();
    await sleep(1_000);
    const during = await fetch(`${urlOf(B)}/healthz`);
    expect(during.status).toBe(503);
    expect(await during.json()).toEqual({ status: 'unavailable', dependencies: { database: 'up', redis: 'down' } });
    await sleep(500);
    phases.restartingAt = Date.now();
    await redis.start();
    phases.startedAt = Date.now();
    await sleep(3_000);
    stopped = true;
    const { answers, unanswered } = await running;
    expect(unanswered).toBe(0);
    // Every answer was either an evaluation or a 503 in our envelope: never a 500, never a hang.
    expect(tally(answers, (a) => (a.status === 201 ? '201' : `${a.status} ${a.code}`))).toEqual({ 201: expect.any(Number), '503 UNAVAILABLE': expect.any(Number) });
    const down = answers.filter((a) => a.sentAt > phases.stoppedAt + 200 && a.at < phases.restartingAt);
    expect(down.length).toBeGreaterThan(0);
    expect(down.every((a) => a.status === 503)).toBe(true);
    // Back within two seconds of Redis, and then every request served.
    const after = answers.filter((a) => a.sentAt > phases.startedAt + 2_000);
    expect(after.length).toBeGreaterThan(20);
    expect(after.every((a) => a.status === 201)).toBe(true);
    for (const node of nodes) expect((await fetch(`${node.url}/healthz`)).status).toBe(200);
  });

  it('kill -9 of one node under load: every acknowledged evaluation is readable from the other, which keeps serving', { timeout: CASE_TIMEOUT_MS }, async () => {
    const project = await newProject('kill one node');
    let stopped = false;
    let targets = [A, B];
    const running = load(
      project,
      () => targets,
      () => stopped,
      12,
    );
    await sleep(1_200);
    await nodes[B]!.kill('SIGKILL');
    targets = [A];
    await sleep(1_500);
    stopped = true;
    const { acknowledged, answers } = await running;
    expect([...acknowledged.values()].filter((node) => node === B).length).toBeGreaterThan(20);
    // What B acknowledged before it died, and all A did, is there: read and consumed once, on A.
    for (const id of acknowledged.keys()) {
      const consumed = await api(A, project, 'POST', `/v3/evaluations/${id}/consume`);
      expect(consumed.status, `${id}: ${JSON.stringify(consumed.body)}`).toBe(200);
    }
    const survivorAnswers = answers.filter((a) => a.status === 201);
    expect(survivorAnswers.length).toBe(acknowledged.size);
    expect((await api(A, project, 'POST', '/v3/evaluations', { action: 'login', user: 'after the kill', ip: '203.0.113.50' })).status).toBe(201);
    // B comes back on the same database and serves again.
    nodes[B] = await startVigil({ ...env, VIGIL_NODE_NAME: 'node-b' });
    expect((await api(B, project, 'POST', '/v3/evaluations', { action: 'login', user: 'b is back', ip: '203.0.113.51' })).status).toBe(201);
  });
});
