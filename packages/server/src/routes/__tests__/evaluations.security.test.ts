import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, bearer, browserEvaluate, createHarness } from '../../test-support/harness.js';
import { serverRouteSecurityCases } from '../../test-support/security-cases.js';

let h: Harness;
let evaluationId: string;
beforeEach(async () => {
  h = await createHarness({ origins: ['https://shop.example'] });
  evaluationId = (await browserEvaluate(h, { action: 'login', user: 'alice' }, { origin: 'https://shop.example' })).res.json().evaluation_id;
});
afterEach(() => h.close());
const setup = () => ({ h, evaluationId });

describe('GET /v3/evaluations/:id', () => {
  serverRouteSecurityCases({ method: 'GET', url: (id) => `/v3/evaluations/${id}` }, setup);
});
describe('POST /v3/evaluations/:id/consume', () => {
  serverRouteSecurityCases({ method: 'POST', url: (id) => `/v3/evaluations/${id}/consume` }, setup);
});
describe('POST /v3/evaluations', () => {
  serverRouteSecurityCases({ method: 'POST', url: () => '/v3/evaluations', payload: { action: 'login', user: 'bob' } }, setup);
});

describe('client API', () => {
  it("refuses an origin that is not among the project's allowed origins, storing nothing", async () => {
    for (const origin of ['https://evil.example', 'https://shop.example.evil.example', 'http://shop.example']) {
      const nonce = await h.inject({ method: 'POST', url: '/v3/client/nonce', payload: { client_id: h.project.clientId }, headers: { origin } });
      expect(nonce.statusCode).toBe(403);
      expect(nonce.json().error.code).toBe('ORIGIN_NOT_ALLOWED');
      expect(nonce.cookies).toEqual([]);
      const res = await h.inject({
        method: 'POST',
        url: '/v3/client/evaluate',
        payload: { client_id: h.project.clientId, action: 'login', user: 'mallory' },
        headers: { origin },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('ORIGIN_NOT_ALLOWED');
    }
    // Without an Origin header at all (a script, not a browser page) a project with origins refuses too.
    const bare = await h.inject({ method: 'POST', url: '/v3/client/evaluate', payload: { client_id: h.project.clientId, action: 'login', user: 'm' } });
    expect(bare.statusCode).toBe(403);
    expect(await h.store.db.selectFrom('users').select('external_id').where('external_id', 'in', ['mallory', 'm']).execute()).toEqual([]);
  });

  it('refuses an unknown client id', async () => {
    const res = await h.inject({ method: 'POST', url: '/v3/client/nonce', payload: { client_id: 'cl_nope' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNKNOWN_CLIENT_ID');
  });

  it('answers CORS for the two client routes only, with credentials and the exact origin', async () => {
    for (const url of ['/v3/client/nonce', '/v3/client/evaluate']) {
      const res = await h.inject({
        method: 'OPTIONS',
        url,
        headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      expect(res.statusCode).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe('https://shop.example');
      expect(res.headers['access-control-allow-credentials']).toBe('true');
      expect(String(res.headers['access-control-allow-methods'])).toBe('POST');
      expect(String(res.headers.vary)).toContain('Origin');
    }
    for (const url of [`/v3/evaluations/${evaluationId}`, `/v3/evaluations/${evaluationId}/consume`, '/v3/evaluations', '/healthz']) {
      const res = await h.inject({ method: 'OPTIONS', url, headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' } });
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      const get = await h.inject({ method: 'GET', url, headers: { origin: 'https://shop.example' } });
      expect(get.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('sets the device cookie HttpOnly and SameSite=Lax, and never returns what the server knows', async () => {
    const nonce = await h.inject({ method: 'POST', url: '/v3/client/nonce', payload: { client_id: h.project.clientId }, headers: { origin: 'https://shop.example' } });
    const cookie = nonce.cookies.find((c) => c.name === 'vigil_did');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(Object.keys(nonce.json())).toEqual(['nonce']);
  });

  it('does not believe X-Forwarded-For from a client that is not a trusted proxy', async () => {
    const { res } = await browserEvaluate(h, { action: 'login', user: 'zed' }, { origin: 'https://shop.example', 'x-forwarded-for': '198.51.100.9' });
    const got = await h.inject({ method: 'GET', url: `/v3/evaluations/${res.json().evaluation_id}`, headers: bearer(h.project.secretKey) });
    expect(got.json().ip).toBe('127.0.0.1');
  });
});

describe('trusted proxies', () => {
  it('takes the client IP from X-Forwarded-For when the peer is a trusted proxy', async () => {
    const proxied = await createHarness({ env: { TRUSTED_PROXIES: '127.0.0.1' } });
    try {
      const { res } = await browserEvaluate(proxied, { action: 'login', user: 'zed' }, { 'x-forwarded-for': '198.51.100.9' });
      const got = await proxied.inject({ method: 'GET', url: `/v3/evaluations/${res.json().evaluation_id}`, headers: bearer(proxied.project.secretKey) });
      expect(got.json().ip).toBe('198.51.100.9');
    } finally {
      await proxied.close();
    }
  });
});

describe('logs', () => {
  it('never contain a secret key, a device cookie or a nonce', async () => {
    const lines: string[] = [];
    const logged = await createHarness({ logger: true });
    // Swap the logger's destination for a buffer: the same pino instance Fastify logs requests with.
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const streamSym = Object.getOwnPropertySymbols(logged.app.log).find((s) => String(s) === 'Symbol(pino.stream)');
    expect(streamSym).toBeDefined();
    (logged.app.log as unknown as Record<symbol, unknown>)[streamSym!] = sink;
    try {
      const { res, deviceCookie } = await browserEvaluate(logged, { action: 'login', user: 'alice' });
      const id = res.json().evaluation_id;
      await logged.inject({ method: 'GET', url: `/v3/evaluations/${id}`, headers: bearer(logged.project.secretKey) });
      await logged.inject({ method: 'GET', url: `/v3/evaluations/${id}`, headers: bearer('sk_wrong_secret_for_log_test') });
      const text = lines.join('');
      expect(text).toContain('/v3/evaluations/'); // requests were logged at all
      expect(text).not.toContain(logged.project.secretKey);
      expect(text).not.toContain('sk_wrong_secret_for_log_test');
      expect(text).not.toContain(deviceCookie!);
    } finally {
      await logged.close();
    }
  });
});
