import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/free-port.js';
import { type RunningVigil, startVigil } from './support/vigil-process.js';

// The OpenAPI document held to the server by a tool nobody here wrote: Stoplight Prism as a validating
// proxy in front of a real Vigil process. Every request of the flows below goes through it; Prism checks
// the request and the response against docs/openapi.json and names what does not match in an
// `sl-violations` header. None may appear.
const documentPath = fileURLToPath(new URL('../docs/openapi.json', import.meta.url));
const prismBin = fileURLToPath(new URL('../node_modules/.bin/prism', import.meta.url));

let vigil: RunningVigil;
let prism: ChildProcess;
let proxy: string;
let dataDir: string;
let secretKey: string;
let clientId: string;
const violations: string[] = [];
let exchanges = 0;

async function call(method: string, path: string, options: { body?: unknown; raw?: string; headers?: Record<string, string>; key?: string | null } = {}) {
  const key = options.key === undefined ? secretKey : options.key;
  const res = await fetch(`${proxy}${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(options.body !== undefined || options.raw !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : options.raw !== undefined ? { body: options.raw } : {}),
  });
  exchanges++;
  const reported = res.headers.get('sl-violations');
  if (reported) violations.push(`${method} ${path} → ${res.status}: ${reported}`);
  const text = await res.text();
  return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'vigil-contract-'));
  vigil = await startVigil({ VIGIL_DATA_DIR: dataDir, VIGIL_SMS: 'console', VIGIL_ALLOW_PRIVATE_DESTINATIONS: 'true' });
  secretKey = /secret key\s+(sk_\w+)/.exec(vigil.output())![1]!;
  clientId = /client id\s+(\S+)/.exec(vigil.output())![1]!;
  const port = await freePort();
  proxy = `http://127.0.0.1:${port}`;
  prism = spawn(prismBin, ['proxy', documentPath, vigil.url, '--port', String(port), '--errors', 'false'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  prism.stdout!.on('data', (c) => (output += c));
  prism.stderr!.on('data', (c) => (output += c));
  for (let i = 0; ; i++) {
    if (/Prism is listening/.test(output)) break;
    if (i > 300) throw new Error(`Prism did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 60_000);
afterAll(async () => {
  prism?.kill('SIGTERM');
  await vigil?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the OpenAPI document against the server, through Prism', () => {
  it('reports what the document does not allow (so an empty report means something)', async () => {
    await call('POST', '/v3/evaluations', { body: { action: 'login', user: 'x', not_a_field: 1 } });
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(/not_a_field|additional/i);
    violations.length = 0;
  });

  it('matches every request and response of the product flows', async () => {
    expect((await call('GET', '/healthz', { key: null })).status).toBe(200);
    // The browser: a nonce, then an evaluation.
    const origin = { origin: 'https://shop.example' };
    const nonce = await call('POST', '/v3/client/nonce', { body: { client_id: clientId }, key: null, headers: origin });
    const browser = await call('POST', '/v3/client/evaluate', {
      body: { client_id: clientId, action: 'login', user: 'alice', nonce: nonce.body.nonce, signals: { fingerprint: 'abc123' } },
      key: null,
      headers: origin,
    });
    expect(browser.status).toBe(200);

    // The backend: read, consume, create (with a hash array), the v2 shape, a signup before its id.
    expect((await call('GET', `/v3/evaluations/${browser.body.evaluation_id}`)).body.user.id).toBe('alice');
    expect((await call('POST', `/v3/evaluations/${browser.body.evaluation_id}/consume`, { raw: '' })).status).toBe(200);
    const created = await call('POST', '/v3/evaluations', {
      body: { action: 'login', user: 'bob', email: 'bob@example.com', phone: '+4791234567', ip: '84.208.1.1', fingerprint: ['c0ffee', null], metadata: { plan: 'pro' } },
    });
    expect(created.status).toBe(201);
    expect((await call('POST', '/v2/devices/evaluate', { body: { action: 'login', user: 'bob', fingerprint: ['c0ffee', null], version: '2.32.0' } })).status).toBe(200);
    const signup = await call('POST', '/v3/evaluations', { body: { action: 'signup', email: 'new@example.com' } });
    expect((await call('POST', `/v3/evaluations/${signup.body.id}/consume`, { body: { user: 'u_new' } })).body.user.id).toBe('u_new');

    // Policies, every operation.
    const policy = {
      name: 'Verify by SMS',
      events: ['login'],
      priority: 5,
      enabled: true,
      conditions: { field: 'metadata.verify', operator: 'eq', value: true },
      action: { type: 'challenge', challenge: { type: 'verification', channels: ['sms'] } },
    };
    const made = await call('POST', '/v3/policies', { body: policy });
    expect(made.status).toBe(201);
    const restrict = await call('POST', '/v3/policies', { body: { ...policy, name: 'Restrict', priority: 6, action: { type: 'restrict' } } });
    await call('GET', '/v3/policies');
    await call('GET', `/v3/policies/${made.body.id}`);
    await call('PUT', `/v3/policies/${made.body.id}`, { body: { ...policy, priority: 4 } });
    await call('POST', `/v3/policies/${restrict.body.id}/disable`);
    await call('POST', `/v3/policies/${restrict.body.id}/enable`);
    await call('GET', `/v3/policies/${made.body.id}/versions`);
    await call('POST', '/v3/policies/test', { body: { policy, days: 7 } });
    await call('POST', '/v3/policies/reorder', { body: { order: [made.body.id, restrict.body.id] } });
    await call('GET', '/v3/checks');
    await call('GET', '/v3/risks');

    // A challenge: opened, read, sent, a wrong code, and errors in the envelope.
    const challenged = await call('POST', '/v3/evaluations', { body: { action: 'login', user: 'carol', phone: '+4791234568', metadata: { verify: true } } });
    expect(challenged.body.verdict).toBe('challenge');
    const challengeId = challenged.body.challenge.id;
    await call('GET', `/v3/challenges/${challengeId}`);
    expect((await call('POST', `/v3/challenges/${challengeId}/send`, { raw: '' })).status).toBe(200);
    expect((await call('POST', `/v3/challenges/${challengeId}/verify`, { body: { code: '000000' } })).status).toBe(422);
    expect((await call('POST', `/v2/challenges/${challengeId}/verify`, { body: { code: '000000' } })).status).toBe(200);
    expect((await call('GET', '/v3/evaluations/ev_nope')).status).toBe(404);
    expect((await call('POST', '/v3/evaluations', { body: { action: 'login' } })).status).toBe(400);
    expect((await call('GET', '/v3/policies', { key: 'sk_wrong' })).status).toBe(401);
    await call('DELETE', `/v3/policies/${restrict.body.id}`);

    // Lists and users.
    const list = await call('POST', '/v3/lists', { body: { name: 'blocked', type: 'phone' } });
    await call('POST', `/v3/lists/${list.body.id}/add`, { body: { values: ['+47 912 34 569', '+4791234570'] } });
    await call('GET', `/v3/lists/${list.body.id}`);
    await call('GET', '/v3/lists');
    await call('DELETE', `/v3/lists/${list.body.id}/entries/${encodeURIComponent('+4791234570')}`);
    await call('GET', '/v3/users/bob');
    await call('POST', '/v3/user/bob/update', { body: { metadata: { tier: 'gold' } } });
    await call('POST', '/v3/users/bob/suspend');
    await call('POST', '/v3/users/bob/unsuspend');
    await call('GET', '/v3/user/alice/devices');

    // Webhooks and settings.
    const endpoint = await call('POST', '/v3/webhooks', { body: { url: 'http://127.0.0.1:9/hooks', events: ['evaluation.created', 'challenge.initiated'] } });
    expect(endpoint.status).toBe(201);
    await call('GET', '/v3/webhooks');
    await call('PATCH', `/v3/webhooks/${endpoint.body.id}`, { body: { events: ['evaluation.created'] } });
    await call('POST', '/v3/evaluations', { body: { action: 'checkout', user: 'bob' } });
    const deliveries = await call('GET', '/v3/webhook/deliveries');
    if (deliveries.body.data?.[0]) await call('POST', `/v3/webhook/deliveries/${deliveries.body.data[0].id}/resend`, { raw: '' });
    await call('DELETE', `/v3/webhooks/${endpoint.body.id}`);
    await call('GET', '/v3/settings/retention');
    await call('GET', '/v3/reference-data');

    expect(exchanges).toBeGreaterThan(45);
    expect(violations).toEqual([]);
  }, 120_000);
});
