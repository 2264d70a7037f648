import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VigilAPI, VigilError } from './index.js';

// A stand-in Vigil server on a real socket: records each request and answers from a queue the test sets.
interface Seen {
  method: string;
  url: string;
  body: unknown;
}
let server: Server;
let baseUrl: string;
let seen: Seen[];
let replies: { status: number; body?: unknown; headers?: Record<string, string> }[];

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    seen.push({ method: req.method!, url: req.url!, body: text ? JSON.parse(text) : undefined });
    const reply = replies.shift() ?? { status: 200, body: { data: [] } };
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  seen = [];
  replies = [];
});

const waits: number[] = [];
const api = (over: Record<string, unknown> = {}) => new VigilAPI('sk_test_secret', { baseUrl, random: () => 1, sleep: async (ms) => void waits.push(ms), ...over });
const calls = () => seen.map((s) => `${s.method} ${s.url}`);

describe('resources', () => {
  it('policies: every route, with ids encoded and checked', async () => {
    const client = api();
    const policy = { name: 'p', events: ['login'], priority: 1, conditions: { field: 'is_new_ip', operator: 'eq' as const, value: true }, action: { type: 'deny' as const } };
    replies = [
      { status: 201, body: { id: 'po_1' } },
      { status: 200, body: { data: [{ id: 'po_1' }] } },
      { status: 200, body: { id: 'po_1' } },
      { status: 200, body: { id: 'po_1' } },
      { status: 204 },
      { status: 200, body: { data: [{ version: 1 }] } },
      { status: 200, body: {} },
      { status: 200, body: {} },
      { status: 200, body: { evaluated: 3, matched: 1, changed: 1, samples: ['ev_1'] } },
      { status: 200, body: { data: [{ id: 'po_1' }] } },
    ];
    expect(await client.policies.create(policy)).toEqual({ id: 'po_1' });
    expect(await client.policies.list()).toEqual([{ id: 'po_1' }]);
    await client.policies.get('po_1');
    await client.policies.update('po_1', policy);
    expect(await client.policies.delete('po_1')).toBeUndefined();
    expect(await client.policies.versions('po_1')).toEqual([{ version: 1 }]);
    await client.policies.enable('po_1');
    await client.policies.disable('po_1');
    expect(await client.policies.test({ policy, days: 3 })).toEqual({ evaluated: 3, matched: 1, changed: 1, samples: ['ev_1'] });
    expect(await client.policies.reorder(['po_1'])).toEqual([{ id: 'po_1' }]);
    expect(calls()).toEqual([
      'POST /v3/policies',
      'GET /v3/policies',
      'GET /v3/policies/po_1',
      'PUT /v3/policies/po_1',
      'DELETE /v3/policies/po_1',
      'GET /v3/policies/po_1/versions',
      'POST /v3/policies/po_1/enable',
      'POST /v3/policies/po_1/disable',
      'POST /v3/policies/test',
      'POST /v3/policies/reorder',
    ]);
    expect(seen[8]!.body).toEqual({ policy, days: 3 });
    expect(seen[9]!.body).toEqual({ order: ['po_1'] });
    await expect(client.policies.get('../checks')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(seen).toHaveLength(10);
  });

  it('lists: create, page, entries and batches', async () => {
    const client = api();
    await client.lists.create({ name: 'blocked', type: 'ip' });
    await client.lists.get('blocked', { limit: 10, after: '10.0.0.1' });
    await client.lists.addEntry('blocked', { value: '10.0.0.2', expires_at: '2027-01-01T00:00:00Z' });
    replies = [{ status: 204 }, { status: 200, body: { added: 2, total: 3 } }, { status: 200, body: { removed: 1, total: 2 } }];
    expect(await client.lists.removeEntry('blocked', '2001:db8::1')).toBeUndefined();
    expect(await client.lists.add('blocked', ['10.0.0.3', '10.0.0.4'])).toEqual({ added: 2, total: 3 });
    expect(await client.lists.remove('blocked', '10.0.0.3')).toEqual({ removed: 1, total: 2 });
    expect(calls()).toEqual([
      'POST /v3/lists',
      'GET /v3/lists/blocked?limit=10&after=10.0.0.1',
      'POST /v3/lists/blocked/entries',
      'DELETE /v3/lists/blocked/entries/2001%3Adb8%3A%3A1',
      'POST /v3/lists/blocked/add',
      'POST /v3/lists/blocked/remove',
    ]);
    expect(seen.slice(4).map((s) => s.body)).toEqual([{ values: ['10.0.0.3', '10.0.0.4'] }, { value: '10.0.0.3' }]);
    await expect(
      client.lists.add(
        'blocked',
        Array.from({ length: 501 }, (_, i) => `10.0.1.${i}`),
      ),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(seen).toHaveLength(6);
  });

  it('users: by the application id, encoded; update answers nothing', async () => {
    const client = api();
    replies = [{ status: 200, body: { id: 'a@b' } }, { status: 200, body: {} }, { status: 200, body: {} }, { status: 200, body: { data: [{ id: 'dv_1' }] } }, { status: 204 }];
    expect(await client.users.get('a@b/c')).toEqual({ id: 'a@b' });
    await client.users.suspend('a@b/c');
    await client.users.unsuspend('a@b/c');
    expect(await client.users.devices('a@b/c')).toEqual([{ id: 'dv_1' }]);
    expect(await client.users.update('a@b/c', { groups: ['acme'] })).toBeUndefined();
    expect(calls()).toEqual([
      'GET /v3/users/a%40b%2Fc',
      'POST /v3/users/a%40b%2Fc/suspend',
      'POST /v3/users/a%40b%2Fc/unsuspend',
      'GET /v3/user/a%40b%2Fc/devices',
      'POST /v3/user/a%40b%2Fc/update',
    ]);
    await expect(client.users.get('')).rejects.toBeInstanceOf(VigilError);
  });

  it('checks, risks and challenges', async () => {
    const client = api();
    await client.checks.list();
    await client.risks.get();
    await client.risks.update({ ato: { thresholds: { medium: 10 } } });
    await client.challenges.get('ch_1');
    expect(calls()).toEqual(['GET /v3/checks', 'GET /v3/risks', 'PUT /v3/risks', 'GET /v3/challenges/ch_1']);
  });
});

describe('retries', () => {
  it('retries an idempotent call after a 5xx, with growing backoff', async () => {
    waits.length = 0;
    replies = [
      { status: 503, body: { error: { code: 'INTERNAL_ERROR', message: 'x' } } },
      { status: 502, body: 'x' },
      { status: 200, body: { id: 'po_1' } },
    ];
    expect(await api().policies.get('po_1')).toEqual({ id: 'po_1' });
    expect(seen).toHaveLength(3);
    expect(waits).toEqual([100, 200]);
  });

  it('gives up after the retries, with the last error', async () => {
    replies = [
      { status: 500, body: { error: { code: 'INTERNAL_ERROR', message: 'down' } } },
      { status: 500, body: { error: { code: 'INTERNAL_ERROR', message: 'down' } } },
    ];
    await expect(api({ retries: 1 }).users.get('u')).rejects.toMatchObject({ code: 'INTERNAL_ERROR', status: 500 });
    expect(seen).toHaveLength(2);
  });

  it('never retries a 4xx', async () => {
    replies = [{ status: 404, body: { error: { code: 'POLICY_NOT_FOUND', message: 'no' } } }];
    await expect(api().policies.get('po_x')).rejects.toMatchObject({ code: 'POLICY_NOT_FOUND' });
    expect(seen).toHaveLength(1);
  });

  it('honours retry-after on a 429, even for a call that is not idempotent', async () => {
    waits.length = 0;
    replies = [
      { status: 429, body: { error: { code: 'RATE_LIMITED', message: 'slow down' } }, headers: { 'retry-after': '3' } },
      { status: 201, body: { id: 'ev_1' } },
    ];
    expect(await api().evaluations.create({ action: 'login', user: 'u' })).toEqual({ id: 'ev_1' });
    expect(waits).toEqual([3000]);
  });

  it('does not retry consume or create after a 5xx: the first attempt may have counted', async () => {
    replies = [
      { status: 500, body: { error: { code: 'INTERNAL_ERROR', message: 'x' } } },
      { status: 200, body: {} },
    ];
    await expect(api().evaluation.consume('ev_1')).rejects.toMatchObject({ status: 500 });
    replies = [
      { status: 500, body: { error: { code: 'INTERNAL_ERROR', message: 'x' } } },
      { status: 200, body: {} },
    ];
    await expect(api().evaluations.create({ action: 'login', user: 'u' })).rejects.toMatchObject({ status: 500 });
    expect(seen).toHaveLength(2);
  });

  it('retries consume when the connection was refused: nothing reached the server', async () => {
    let first = true;
    const flaky: typeof fetch = async (input, init) => {
      if (first) {
        first = false;
        throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
      }
      return fetch(input, init);
    };
    replies = [{ status: 200, body: { id: 'ev_1', consumed: true } }];
    expect(await api({ fetch: flaky }).evaluation.consume('ev_1')).toEqual({ id: 'ev_1', consumed: true });
    expect(seen).toHaveLength(1);
  });
});

describe('Rupt v2 challenge calls', () => {
  it("take the v2 guide's positional form and the object form, on the v2 paths", async () => {
    const client = api();
    replies = [
      { status: 200, body: { success: true, challenge_id: 'ch_1' } },
      { status: 200, body: { success: true, challenge_id: 'ch_1' } },
      { status: 200, body: { success: false, attempts_left: 4 } },
      { status: 200, body: { success: true } },
      { status: 200, body: { success: true } },
    ];
    expect(await client.sendChallengeCode('ch_1')).toEqual({ success: true, challenge_id: 'ch_1' });
    await client.sendChallengeCode({ challenge: 'ch_1', channel: 'sms' });
    expect(await client.verifyChallengeCode('ch_1', '123456')).toEqual({ success: false, attempts_left: 4 });
    await client.verifyChallengeCode({ challenge: 'ch_1', code: '654321' });
    await client.completeChallenge('ch_1');
    expect(seen).toEqual([
      { method: 'POST', url: '/v2/challenges/ch_1/send', body: {} },
      { method: 'POST', url: '/v2/challenges/ch_1/send', body: { channel: 'sms' } },
      { method: 'POST', url: '/v2/challenges/ch_1/verify', body: { code: '123456' } },
      { method: 'POST', url: '/v2/challenges/ch_1/verify', body: { code: '654321' } },
      { method: 'POST', url: '/v2/challenges/ch_1/complete', body: {} },
    ]);
  });

  it('refuse a missing id or code before any request', async () => {
    const client = api();
    await expect(client.sendChallengeCode('../users')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect((client.verifyChallengeCode as (id: string) => Promise<unknown>)('ch_1')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(seen).toEqual([]);
  });
});
