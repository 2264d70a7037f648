import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VigilAPI, VigilError } from './index.js';

// A stand-in Vigil server on a real socket: records each request and answers what the test sets.
interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}
let server: Server;
let baseUrl: string;
let seen: Seen[];
let reply: { status: number; body: string; delayMs?: number };

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, contentType: req.headers['content-type'], body });
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (!res.destroyed) res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  seen = [];
  reply = { status: 200, body: JSON.stringify({ id: 'ev_1', object: 'evaluation' }) };
});

const SECRET = 'sk_live_secret_value';
const api = () => new VigilAPI(SECRET, { baseUrl: `${baseUrl}/` });

async function failure(promise: Promise<unknown>): Promise<VigilError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VigilError);
  return error as VigilError;
}

describe('VigilAPI requests', () => {
  it('reads an evaluation with the secret key as a bearer token', async () => {
    expect(await api().evaluation.get('ev_1')).toEqual({ id: 'ev_1', object: 'evaluation' });
    expect(seen).toEqual([{ method: 'GET', url: '/v3/evaluations/ev_1', authorization: `Bearer ${SECRET}`, contentType: undefined, body: '' }]);
  });

  it('consumes an evaluation', async () => {
    await api().evaluation.consume('ev_1');
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['POST /v3/evaluations/ev_1/consume']);
  });

  it('creates an evaluation from a JSON body (evaluations.create and evaluate)', async () => {
    const input = { action: 'login', user: 'alice', ip: '203.0.113.7', fingerprint: 'abc', metadata: { plan: 'pro' } };
    await api().evaluations.create(input);
    await api().evaluate(input);
    expect(seen.map((s) => [s.method, s.url, s.contentType, JSON.parse(s.body)])).toEqual([
      ['POST', '/v3/evaluations', 'application/json', input],
      ['POST', '/v3/evaluations', 'application/json', input],
    ]);
  });
});

describe('VigilAPI errors', () => {
  it("carries the server's code, message, status and request id", async () => {
    reply = { status: 409, body: JSON.stringify({ error: { code: 'EVALUATION_ALREADY_CONSUMED', message: 'Already consumed', request_id: 'req_42' } }) };
    const error = await failure(api().evaluation.consume('ev_1'));
    expect({ code: error.code, message: error.message, status: error.status, requestId: error.requestId }).toEqual({
      code: 'EVALUATION_ALREADY_CONSUMED',
      message: 'Already consumed',
      status: 409,
      requestId: 'req_42',
    });
  });

  it('says BAD_RESPONSE when the answer is not JSON (a proxy error page)', async () => {
    reply = { status: 502, body: '<html>Bad gateway</html>' };
    expect(await failure(api().evaluation.get('ev_1'))).toMatchObject({ code: 'BAD_RESPONSE', status: 502 });
  });

  it('says TIMEOUT when the server is too slow', async () => {
    reply = { ...reply, delayMs: 500 };
    const slow = new VigilAPI(SECRET, { baseUrl, timeoutMs: 50 });
    expect(await failure(slow.evaluation.get('ev_1'))).toMatchObject({ code: 'TIMEOUT', status: null });
  });

  it('says NETWORK_ERROR when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(new VigilAPI(SECRET, { baseUrl: `http://127.0.0.1:${port}` }).evaluation.get('ev_1'));
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('refuses ids that are not ids (from a tampering browser) without sending anything', async () => {
    for (const id of ['', '../../v3/evaluations', 'ev_1/consume', 'ev_1?x=1', 'ev 1', 'x'.repeat(65), 42 as unknown as string]) {
      expect(await failure(api().evaluation.consume(id)), String(id)).toMatchObject({ code: 'INVALID_ARGUMENT', status: null });
    }
    expect(seen).toEqual([]);
  });

  it('refuses a missing or non-secret key and a bad timeout at construction', () => {
    expect(() => new VigilAPI('')).toThrow(VigilError);
    expect(() => new VigilAPI('cl_public_client_id')).toThrow(/secret key/);
    expect(() => new VigilAPI(SECRET, { timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});

describe('the secret key', () => {
  it('never shows in inspect, JSON or string forms', () => {
    const client = api();
    for (const text of [inspect(client, { depth: 5, showHidden: true }), JSON.stringify(client), String(client), JSON.stringify(Object.entries(client))]) {
      expect(text).not.toContain(SECRET);
    }
    expect(inspect(client)).toContain(baseUrl);
  });
});
