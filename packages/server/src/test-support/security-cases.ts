import { expect, it } from 'vitest';
import type { Harness } from './harness.js';

export interface ServerRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The URL, given an evaluation id of the test project. */
  url: (evaluationId: string) => string;
  payload?: Record<string, unknown>;
}

async function evaluationCount(h: Harness) {
  const row = await h.store.db.selectFrom('evaluations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
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
    return { status: res.statusCode, code: res.json().error?.code as string | undefined, body: res.body };
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
  // A route that names an evaluation must not find it with another project's key.
  if (route.url('ev_x').includes('ev_x')) {
    it("does not show one project's evaluation to another project's key", async () => {
      const { h } = setup();
      expect(await send({ authorization: `Bearer ${h.other.secretKey}` })).toMatchObject({ status: 404, code: 'EVALUATION_NOT_FOUND' });
    });
  }
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
