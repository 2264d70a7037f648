import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, bearer, createHarness } from '../../test-support/harness.js';

// Bug: errors the router raises before any route runs answered in Fastify's own JSON
// (`{"error":"Bad Request","code":"FST_ERR_BAD_URL",…}` for `/v3/policies/%ff%fe`, a 414
// FST_ERR_MAX_PARAM_LENGTH for a path segment over 100 characters), not in our envelope. Every route
// Fastify knows is walked, so a route added later is covered too.

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

/** Every method and path the router knows, read from `printRoutes` (Fastify has no route list). */
function knownRoutes(app: Harness['app']): { method: string; path: string }[] {
  const routes: { method: string; path: string }[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[├└]── (.+?) \(([A-Z, ]+)\)$/.exec(line) ?? /^([│ ]*)[├└]── (.+)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const segment = match[2]!;
    stack.length = depth;
    stack.push(`${depth > 0 && !segment.startsWith('/') ? '/' : ''}${segment}`);
    for (const method of match[3]?.split(', ') ?? []) routes.push({ method, path: stack.join('') });
  }
  return routes;
}

/** The path with its first parameter (or wildcard) replaced, or a segment appended when it has none. */
function withSegment(path: string, segment: string): string {
  const replaced = path.replace(/:[A-Za-z_]+|\*/, segment);
  const rest = replaced === path ? `${path}/${segment}` : replaced;
  return rest.replace(/:[A-Za-z_]+/g, 'x');
}

const envelope = { error: { code: expect.stringMatching(/^[A-Z_]+$/), message: expect.any(String), request_id: expect.stringMatching(/^req_/) } };

describe('errors raised by the framework', () => {
  it('the walk finds the routes', () => {
    const paths = knownRoutes(h.app).map((r) => `${r.method} ${r.path}`);
    for (const expected of [
      'GET /v3/policies/:id',
      'DELETE /v3/lists/:id/entries/:value',
      'POST /challenge/:id/verify',
      'GET /dashboard/api/projects/:project/evaluations/:id',
      'GET /dashboard/*',
      'OPTIONS /v3/client/evaluate',
      'GET /openapi.json',
    ]) {
      expect(paths).toContain(expected);
    }
  });

  it('a malformed percent-encoding on every route answers 400 BAD_REQUEST in our envelope', async () => {
    const wrong: string[] = [];
    for (const { method, path } of knownRoutes(h.app)) {
      const url = withSegment(path, '%ff%fe');
      const res = await h.inject({ method: method as 'GET', url, headers: bearer(h.project.secretKey) });
      if (res.statusCode !== 400) wrong.push(`${method} ${url}: ${res.statusCode}`);
      // A HEAD answer has no body to check.
      else if (method !== 'HEAD' && res.json().error?.code !== 'BAD_REQUEST') wrong.push(`${method} ${url}: ${res.body}`);
    }
    expect(wrong).toEqual([]);
  });

  it('a path parameter longer than the router accepts answers a 4xx in our envelope on every route', async () => {
    const wrong: string[] = [];
    for (const { method, path } of knownRoutes(h.app)) {
      if (!path.includes(':') || method === 'HEAD') continue;
      const url = withSegment(path, 'x'.repeat(400));
      const res = await h.inject({ method: method as 'GET', url, headers: bearer(h.project.secretKey), ...(method === 'POST' || method === 'PUT' ? { payload: {} } : {}) });
      const ok =
        res.statusCode >= 400 &&
        res.statusCode < 500 &&
        res.headers['content-type']?.toString().startsWith('application/json') &&
        expect.objectContaining(envelope).asymmetricMatch(res.json());
      if (!ok) wrong.push(`${method} ${path}: ${res.statusCode} ${res.body.slice(0, 120)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('a path segment of up to 320 characters reaches the route (a long list entry can be removed)', async () => {
    const auth = bearer(h.project.secretKey);
    const list = (await h.inject({ method: 'POST', url: '/v3/lists', headers: auth, payload: { name: 'long_emails', type: 'email' } })).json();
    const value = `${'a'.repeat(300)}@example.com`;
    expect((await h.inject({ method: 'POST', url: `/v3/lists/${list.id}/entries`, headers: auth, payload: { value } })).statusCode).toBe(201);
    expect((await h.inject({ method: 'DELETE', url: `/v3/lists/${list.id}/entries/${encodeURIComponent(value)}`, headers: auth })).statusCode).toBe(204);
    const over = await h.inject({ method: 'GET', url: `/v3/policies/${'x'.repeat(321)}`, headers: auth });
    expect(over.statusCode).toBe(400);
    expect(over.json()).toEqual({ error: { code: 'BAD_REQUEST', message: 'A URL path segment is longer than this server accepts', request_id: expect.stringMatching(/^req_/) } });
  });

  it('an unknown route, an unknown method, and OPTIONS on a route without CORS answer 404 NOT_FOUND in our envelope', async () => {
    for (const [method, url] of [
      ['GET', '/nope'],
      ['PATCH', '/v3/policies'],
      ['DELETE', '/v3/evaluations'],
      ['OPTIONS', '/v3/policies'],
      ['GET', '/dashboard/api/nope'],
    ] as const) {
      const res = await h.inject({ method, url, headers: bearer(h.project.secretKey) });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json()).toEqual({ error: { ...envelope.error, code: 'NOT_FOUND' } });
    }
    // HEAD answers carry no body; the status is the GET's.
    expect((await h.inject({ method: 'HEAD', url: '/nope' })).statusCode).toBe(404);
  });
});
