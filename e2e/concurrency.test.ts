import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningVigil, runVigil, startVigil } from './support/vigil-process.js';
import { type RedisServer, startRedis } from './support/redis-server.js';

// Exact under concurrency: the same requests, sent all at once to one project and one after another to
// another, must come out the same. A nonce redeems once, an evaluation consumes once, a velocity count
// counts every evaluation before it, and the number of users behind one IP, fingerprint or device goes
// 1, 2, 3, … however the requests interleave. The same holds with two nodes on one PostgreSQL and one
// Redis, the requests spread over both (request i goes to node i mod 2, and is read back from the other).

const postgresUrl = process.env.VIGIL_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const N = 30;
// Each case starts two projects with `vigil project create` (a process each) and sends 2×N requests:
// more than the default 30 s on a loaded 2-core machine.
const CASE_TIMEOUT_MS = 90_000;
const dirs: string[] = [];
// PostgreSQL schemas made here are dropped when the run ends (vitest.global-setup.ts).
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

type Mode = 'serial' | 'concurrent';
interface Project {
  id: string;
  client_id: string;
  secret_key: string;
}
interface Evaluation {
  id: string;
  verdict: string;
  checks: Record<string, boolean | number | string>;
  policy: { name: string; trace: { node: string; status: string; actual?: number } } | null;
}

/** The tasks one after another, or all at once (Node's fetch opens a connection per request in flight). */
async function run<T>(mode: Mode, tasks: (() => Promise<T>)[]): Promise<T[]> {
  if (mode === 'concurrent') return Promise.all(tasks.map((task) => task()));
  const results: T[] = [];
  for (const task of tasks) results.push(await task());
  return results;
}

/** The counts as a multiset, written small (`1 2 3` / `1×30`) so that a failure reads in one line. */
function multiset(values: unknown[]): string {
  const sorted = [...values].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b))));
  const runs: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    runs.push(j - i === 1 ? String(sorted[i]) : `${String(sorted[i])}×${j - i}`);
    i = j;
  }
  return runs.join(' ');
}
const oneToN = multiset(Array.from({ length: N }, (_, i) => i + 1));

describe.each([
  ['sqlite', 1],
  ['postgres', 1],
  ['postgres + redis', 2],
] as const)('exact under concurrency (%s, %i node(s))', (backend, nodes) => {
  let env: Record<string, string>;
  const servers: RunningVigil[] = [];
  let redis: RedisServer | null = null;
  /** Where the i-th request goes: the nodes in turn. */
  const urlOf = (i: number) => servers[i % servers.length]!.url;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-concurrency-'));
    dirs.push(dir);
    // Rate limits are not under test: off, so that bursts of requests from 127.0.0.1 are all evaluated.
    env = { VIGIL_DATA_DIR: dir, VIGIL_RATE_LIMITS: 'off' };
    if (backend !== 'sqlite') {
      env.DATABASE_URL = postgresUrl;
      env.DATABASE_SCHEMA = `t_e2e_${process.env.VIGIL_TEST_RUN ?? '0'}_${randomBytes(6).toString('hex')}`;
    }
    if (backend === 'postgres + redis') {
      redis = await startRedis();
      env.REDIS_URL = redis.url;
    }
    // One after the other: the first migrates the new schema.
    for (let i = 0; i < nodes; i++) servers.push(await startVigil({ ...env, VIGIL_NODE_NAME: `node-${i}` }));
  });
  afterAll(async () => {
    for (const server of servers) await server.stop();
    await redis?.close();
  });

  /** A fresh project, so the serial and the concurrent run each start from nothing. */
  async function newProject(name: string): Promise<Project> {
    const created = await runVigil(['project', 'create', '--name', name, '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    return JSON.parse(created.stdout) as Project;
  }

  async function api(project: Project, method: string, path: string, body?: unknown, at = 0): Promise<{ status: number; body: any }> {
    const res = await fetch(`${urlOf(at)}${path}`, {
      method,
      headers: { authorization: `Bearer ${project.secret_key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: res.status === 204 ? null : await res.json() };
  }

  /** POST /v3/evaluations (the backend's channel): the evaluation, or a failure naming the status. */
  async function evaluateFromBackend(project: Project, body: Record<string, unknown>, at = 0): Promise<Evaluation> {
    const res = await api(project, 'POST', '/v3/evaluations', body, at);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as Evaluation;
  }

  /** POST /v3/client/evaluate as the browser SDK does, then the evaluation as the backend reads it. */
  async function evaluateFromBrowser(project: Project, body: Record<string, unknown>, deviceCookie: string, at = 0): Promise<Evaluation> {
    const res = await fetch(`${urlOf(at)}/v3/client/evaluate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `vigil_did=${deviceCookie}` },
      body: JSON.stringify({ client_id: project.client_id, action: 'login', ...body }),
    });
    const answer = (await res.json()) as { evaluation_id?: string };
    expect(res.status, JSON.stringify(answer)).toBe(200);
    const read = await api(project, 'GET', `/v3/evaluations/${answer.evaluation_id}`, undefined, at + 1);
    expect(read.status).toBe(200);
    return read.body as Evaluation;
  }

  /** POST /v3/client/nonce as the SDK does from a new browser: the nonce, and the device cookie it set. */
  async function nonceForNewBrowser(project: Project): Promise<{ nonce: string; deviceCookie: string }> {
    const res = await fetch(`${urlOf(0)}/v3/client/nonce`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: project.client_id }),
    });
    expect(res.status).toBe(200);
    const deviceCookie = res.headers
      .getSetCookie()
      .map((c) => /^vigil_did=([0-9a-f]{32})/.exec(c)?.[1])
      .find((c) => c !== undefined);
    expect(deviceCookie).toBeDefined();
    return { nonce: ((await res.json()) as { nonce: string }).nonce, deviceCookie: deviceCookie! };
  }

  it(`a nonce redeems once: ${N} evaluations presenting one nonce, exactly one finds it valid`, { timeout: CASE_TIMEOUT_MS }, async () => {
    const outcome = async (mode: Mode) => {
      const project = await newProject(`nonce ${mode}`);
      const { nonce, deviceCookie } = await nonceForNewBrowser(project);
      // The same browser (its cookie) replays its own request: distinct users, so only the nonce is shared.
      const evaluations = await run(
        mode,
        Array.from({ length: N }, (_, i) => () => evaluateFromBrowser(project, { user: `nonce_user_${i}`, nonce }, deviceCookie, i)),
      );
      const tally = { valid: 0, consumed: 0, other: [] as string[] };
      for (const { checks } of evaluations) {
        const flags = ['consumed_nonce', 'nonce_session_mismatch', 'unknown_nonce', 'missing_nonce', 'session_expired', 'missing_cookie'].filter((name) => checks[name] === true);
        if (flags.length === 0 && checks.consumed_nonce === false) tally.valid++;
        else if (flags.length === 1 && flags[0] === 'consumed_nonce') tally.consumed++;
        else tally.other.push(flags.join('+') || JSON.stringify(checks));
      }
      return tally;
    };
    const serial = await outcome('serial');
    expect(serial).toEqual({ valid: 1, consumed: N - 1, other: [] });
    expect(await outcome('concurrent')).toEqual(serial);
  });

  it(`an evaluation consumes once: ${N} consumes of one evaluation, exactly one consumed`, { timeout: CASE_TIMEOUT_MS }, async () => {
    const outcome = async (mode: Mode) => {
      const project = await newProject(`consume ${mode}`);
      const { id } = await evaluateFromBackend(project, { action: 'login', user: 'consumer', ip: '203.0.113.9' });
      const answers = await run(
        mode,
        Array.from({ length: N }, (_, i) => () => api(project, 'POST', `/v3/evaluations/${id}/consume`, undefined, i)),
      );
      const tally: Record<string, number> = {};
      for (const { status, body } of answers) {
        const what = status === 200 && body.consumed === true && body.id === id ? 'consumed' : `${status} ${body?.error?.code ?? JSON.stringify(body)}`;
        tally[what] = (tally[what] ?? 0) + 1;
      }
      return tally;
    };
    const serial = await outcome('serial');
    expect(serial).toEqual({ consumed: 1, '409 EVALUATION_ALREADY_CONSUMED': N - 1 });
    expect(await outcome('concurrent')).toEqual(serial);
  });

  it(`event_count counts every earlier evaluation: ${N} logins of one user count 1…${N}, and exactly those from the 10th on are denied`, { timeout: CASE_TIMEOUT_MS }, async () => {
    const outcome = async (mode: Mode) => {
      const project = await newProject(`event_count ${mode}`);
      const count = { field: 'event_count', params: { action: 'login', window: '1h', by: 'user' } };
      // The deny threshold decides; the second policy always holds, so every evaluation's trace shows its count.
      const deny = await api(project, 'POST', '/v3/policies', {
        name: 'Tenth login',
        events: ['login'],
        priority: 1,
        conditions: { ...count, operator: 'gte', value: 10 },
        action: { type: 'deny' },
      });
      expect(deny.status, JSON.stringify(deny.body)).toBe(201);
      const show = await api(project, 'POST', '/v3/policies', {
        name: 'Count',
        events: ['login'],
        priority: 2,
        conditions: { ...count, operator: 'gte', value: 1 },
        action: { type: 'allow' },
      });
      expect(show.status, JSON.stringify(show.body)).toBe(201);
      const evaluations = await run(
        mode,
        Array.from({ length: N }, (_, i) => () => evaluateFromBackend(project, { action: 'login', user: 'velocity', ip: `203.0.113.${i + 1}` }, i)),
      );
      const counts = evaluations.map((e) => {
        expect(e.policy?.trace).toMatchObject({ node: 'event_count', status: 'matched' });
        // Denied exactly when its own count reached the threshold: the verdict follows the count shown.
        expect(e.verdict).toBe((e.policy!.trace.actual ?? 0) >= 10 ? 'deny' : 'allow');
        return e.policy!.trace.actual!;
      });
      return { counts: multiset(counts), denied: evaluations.filter((e) => e.verdict === 'deny').length };
    };
    const serial = await outcome('serial');
    expect(serial).toEqual({ counts: oneToN, denied: N - 9 });
    expect(await outcome('concurrent')).toEqual(serial);
  });

  describe('users behind one IP, fingerprint or device count 1, 2, 3, …', () => {
    it(`ip_user_count: ${N} new users from one IP`, { timeout: CASE_TIMEOUT_MS }, async () => {
      const outcome = async (mode: Mode) => {
        const project = await newProject(`ip ${mode}`);
        const evaluations = await run(
          mode,
          Array.from({ length: N }, (_, i) => () => evaluateFromBackend(project, { action: 'signup', user: `ip_user_${i}`, ip: '198.51.100.23' }, i)),
        );
        return multiset(evaluations.map((e) => e.checks.ip_user_count));
      };
      const serial = await outcome('serial');
      expect(serial).toEqual(oneToN);
      expect(await outcome('concurrent')).toEqual(serial);
    });

    it(`fingerprint_user_count: ${N} new users with one browser fingerprint`, { timeout: CASE_TIMEOUT_MS }, async () => {
      const outcome = async (mode: Mode) => {
        const project = await newProject(`fingerprint ${mode}`);
        const fingerprint = `fp_${randomBytes(12).toString('hex')}`;
        const evaluations = await run(
          mode,
          Array.from({ length: N }, (_, i) => () => evaluateFromBackend(project, { action: 'signup', user: `fp_user_${i}`, ip: `203.0.113.${i + 1}`, fingerprint }, i)),
        );
        return multiset(evaluations.map((e) => e.checks.fingerprint_user_count));
      };
      const serial = await outcome('serial');
      expect(serial).toEqual(oneToN);
      expect(await outcome('concurrent')).toEqual(serial);
    });

    it(`device_user_count: ${N} new users in one browser (one device cookie, client channel)`, { timeout: CASE_TIMEOUT_MS }, async () => {
      const outcome = async (mode: Mode) => {
        const project = await newProject(`device ${mode}`);
        const deviceCookie = randomBytes(16).toString('hex');
        const evaluations = await run(
          mode,
          Array.from({ length: N }, (_, i) => () => evaluateFromBrowser(project, { action: 'signup', user: `device_user_${i}` }, deviceCookie, i)),
        );
        return multiset(evaluations.map((e) => e.checks.device_user_count));
      };
      const serial = await outcome('serial');
      expect(serial).toEqual(oneToN);
      expect(await outcome('concurrent')).toEqual(serial);
    });
  });
});
