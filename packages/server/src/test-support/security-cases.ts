import { expect, it } from 'vitest';
import { browserEvaluate, type Harness } from './harness.js';

export interface ServerRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The URL, given an evaluation id of the test project. */
  url: (evaluationId: string) => string;
  payload?: Record<string, unknown>;
  /** The route is the project's, not an environment's: a development key gets 403 ENVIRONMENT_NOT_ALLOWED. */
  productionOnly?: boolean;
}

async function evaluationCount(h: Harness) {
  const row = await h.store.db
    .selectFrom('evaluations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The security cases every server-API route must pass (CONVENTIONS §12): no key, a malformed header, a
 * wrong key, another project's evaluation, an oversize body, bad JSON. Each asserts the status, the
 * code, and that nothing was stored.
 */
export function serverRouteSecurityCases(route: ServerRoute, setup: () => { h: Harness; evaluationId: string }) {
  const send = async (headers: Record<string, string>, payload: unknown = route.payload) => {
    const { h, evaluationId } = setup();
    const before = await evaluationCount(h);
    const res = await h.inject({
      method: route.method,
      url: route.url(evaluationId),
      headers: { 'content-type': 'application/json', ...headers },
      ...(route.method === 'POST' || route.method === 'PUT' ? { payload: typeof payload === 'string' ? payload : JSON.stringify(payload ?? {}) } : {}),
    });
    expect(await evaluationCount(h)).toBe(before);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    return { status: res.statusCode, code: res.json().error?.code as string | undefined, body: res.body, retryAfter: res.headers['retry-after'] };
  };

  it('refuses a request without a secret key', async () => {
    expect(await send({})).toMatchObject({ status: 401, code: 'MISSING_SECRET_KEY' });
  });
  it('refuses a malformed Authorization header', async () => {
    expect(await send({ authorization: 'Basic Zm9vOmJhcg==' })).toMatchObject({ status: 401, code: 'MISSING_SECRET_KEY' });
  });
  it('refuses a wrong secret key, and never echoes it', async () => {
    const result = await send({ authorization: 'Bearer sk_not_a_real_key_0123456789' });
    expect(result).toMatchObject({ status: 401, code: 'INVALID_SECRET_KEY' });
    expect(result.body).not.toContain('sk_not_a_real_key');
  });
  it('refuses the client id where a secret key belongs', async () => {
    const { h } = setup();
    expect(await send({ authorization: `Bearer ${h.project.clientId}` })).toMatchObject({ status: 401, code: 'INVALID_SECRET_KEY' });
  });
  // The bug: the router's own error (FST_ERR_BAD_URL) answered in Fastify's JSON, not our envelope.
  it('answers a malformed percent-encoding in its path with 400 BAD_REQUEST in our envelope', async () => {
    const { h, evaluationId } = setup();
    const url = route.url(evaluationId);
    const res = await h.inject({
      method: route.method,
      url: url.includes(evaluationId) ? url.replace(evaluationId, '%ff%fe') : `${url}/%ff`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${h.project.secretKey}` },
      ...(route.method === 'POST' || route.method === 'PUT' ? { payload: JSON.stringify(route.payload ?? {}) } : {}),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'BAD_REQUEST', message: expect.any(String), request_id: expect.stringMatching(/^req_/) } });
  });
  // A route that names an evaluation must not find it with another project's key.
  if (route.url('ev_x').includes('ev_x')) {
    it("does not show one project's evaluation to another project's key", async () => {
      const { h } = setup();
      expect(await send({ authorization: `Bearer ${h.other.secretKey}` })).toMatchObject({ status: 404, code: 'EVALUATION_NOT_FOUND' });
    });
  }
  // The bug: a development key consumed a production evaluation and changed the mail settings. The
  // evaluations in the setups are production's (browser traffic is); the key is the same project's.
  if (route.productionOnly || route.url('ev_x').includes('ev_x')) {
    it('a development key cannot reach a production resource', async () => {
      const { h } = setup();
      const developmentKey = await h.store.projects.rotateSecretKey({ projectId: h.project.id, environment: 'development', now: h.clock.now, graceMs: 0 });
      const expected = route.productionOnly ? { status: 403, code: 'ENVIRONMENT_NOT_ALLOWED' } : { status: 404, code: 'EVALUATION_NOT_FOUND' };
      expect(await send({ authorization: `Bearer ${developmentKey}` })).toMatchObject(expected);
    });
  }
  it('answers 429 RATE_LIMITED with Retry-After once its key is past the api_key limit, storing nothing', async () => {
    const { h } = setup();
    const restore = h.setRateLimits({ api_key: { limit: 2, windowMs: 60_000 } });
    try {
      // The limit is per key across every route: spend it on a read, then this route must refuse.
      for (let i = 0; i < 2; i++) expect((await h.inject({ method: 'GET', url: '/v3/checks', headers: { authorization: `Bearer ${h.project.secretKey}` } })).statusCode).toBe(200);
      const refused = await send({ authorization: `Bearer ${h.project.secretKey}` });
      expect(refused).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(refused.retryAfter).toMatch(/^\d+$/);
      expect(refused.body).not.toContain(h.project.secretKey);
      // Another key is not held back by this one (what it then does is the route's business).
      const { evaluationId } = setup();
      const other = await h.inject({
        method: route.method,
        url: route.url(evaluationId),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${h.other.secretKey}` },
        ...(route.method === 'POST' || route.method === 'PUT' ? { payload: JSON.stringify(route.payload ?? {}) } : {}),
      });
      expect(other.statusCode).not.toBe(429);
    } finally {
      restore();
    }
  });
  if (route.method === 'POST' || route.method === 'PUT') {
    it('refuses malformed JSON', async () => {
      const { h } = setup();
      expect(await send({ authorization: `Bearer ${h.project.secretKey}` }, '{"action": "login",')).toMatchObject({ status: 400, code: 'MALFORMED_JSON' });
    });
    it('refuses an oversize body', async () => {
      const { h } = setup();
      const huge = { ...route.payload, metadata: { blob: 'x'.repeat(h.config.bodyLimitBytes) } };
      expect(await send({ authorization: `Bearer ${h.project.secretKey}` }, huge)).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    });
  }
}

export interface ClientRoute {
  url: '/v3/client/nonce' | '/v3/client/evaluate';
}

async function rowCounts(h: Harness) {
  const tables = ['evaluations', 'users', 'devices', 'nonces'] as const;
  return Promise.all(
    tables.map(async (t) =>
      Number(
        (
          await h.store.db
            .selectFrom(t)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ),
  );
}

/**
 * The rate-limit cases every client-API route must pass: past the per-address (client_ip) and the
 * per-client-id (client_id) limits it answers 429 RATE_LIMITED with Retry-After and the CORS headers a
 * browser needs to let the SDK read it, and stores nothing. The harness's project must allow `origin`.
 */
export function clientRouteRateLimitCases(route: ClientRoute, setup: () => { h: Harness; origin: string }) {
  /** Four requests the limit lets through, the last on this route (an evaluation is a nonce, then evaluate). */
  const spendFour = async (h: Harness, origin: string) => {
    if (route.url === '/v3/client/nonce') {
      for (let i = 0; i < 4; i++)
        expect((await h.inject({ method: 'POST', url: route.url, payload: { client_id: h.project.clientId }, headers: { origin } })).statusCode).toBe(200);
    } else {
      for (let i = 0; i < 2; i++) expect((await browserEvaluate(h, { action: 'login', user: `rate-${i}` }, { origin })).res.statusCode).toBe(200);
    }
  };
  const expectRefused = async (h: Harness, origin: string) => {
    const before = await rowCounts(h);
    const payload = route.url === '/v3/client/nonce' ? { client_id: h.project.clientId } : { client_id: h.project.clientId, action: 'login', user: 'refused-user' };
    const res = await h.inject({ method: 'POST', url: route.url, payload, headers: { origin } });
    expect(res.statusCode).toBe(429);
    expect(res.json().error).toMatchObject({ code: 'RATE_LIMITED', request_id: expect.any(String) });
    expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(res.headers['access-control-allow-origin']).toBe(origin);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.cookies).toEqual([]);
    expect(await rowCounts(h)).toEqual(before);
  };

  it('answers 429 RATE_LIMITED with Retry-After and CORS headers past the client_ip limit, storing nothing', async () => {
    const { h, origin } = setup();
    const restore = h.setRateLimits({ client_ip: { limit: 4, windowMs: 60_000 } });
    try {
      await spendFour(h, origin);
      await expectRefused(h, origin);
      // The preflight a browser sends first is neither counted nor refused.
      const preflight = await h.inject({ method: 'OPTIONS', url: route.url, headers: { origin, 'access-control-request-method': 'POST' } });
      expect(preflight.statusCode).toBe(204);
    } finally {
      restore();
    }
  });

  it('answers 429 RATE_LIMITED with Retry-After and CORS headers past the client_id limit, storing nothing', async () => {
    const { h, origin } = setup();
    const restore = h.setRateLimits({ client_id: { limit: 4, windowMs: 60_000 } });
    try {
      await spendFour(h, origin);
      await expectRefused(h, origin);
      // Another project's client id, from the same address, has its own allowance.
      const other = await h.inject({ method: 'POST', url: '/v3/client/nonce', payload: { client_id: h.other.clientId }, headers: { origin } });
      expect(other.statusCode).toBe(200);
    } finally {
      restore();
    }
  });
}
