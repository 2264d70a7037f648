import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, bearer, createHarness } from '../../test-support/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

async function counts() {
  const [e, u, n] = await Promise.all(
    (['evaluations', 'users', 'nonces'] as const).map((t) =>
      h.store.db
        .selectFrom(t)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ),
  );
  return [Number(e?.n), Number(u?.n), Number(n?.n)];
}

/** Sends, and asserts the error envelope, its status and code, and that nothing was stored. */
async function expectError(request: Parameters<Harness['inject']>[0], status: number, code: string, messagePart?: string) {
  const before = await counts();
  const res = await h.inject(request);
  expect(res.statusCode).toBe(status);
  const body = res.json();
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error).toMatchObject({ code, message: expect.any(String), request_id: expect.stringMatching(/^req_/) });
  if (messagePart) expect(body.error.message).toContain(messagePart);
  expect(await counts()).toEqual(before);
}

const evaluate = (payload: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST' as const,
  url: '/v3/client/evaluate',
  headers: { 'content-type': 'application/json', ...headers },
  payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
});

describe('client evaluate refuses bad input with a clear error and stores nothing', () => {
  const good = () => ({ client_id: h.project.clientId, action: 'login', user: 'alice' });

  it.each([
    ['a number where the user id belongs', { user: 123 }, 'body.user'],
    ['an empty user id', { user: '' }, 'body.user'],
    ['an action in upper case', { action: 'LOGIN' }, 'body.action'],
    ['an action with spaces', { action: 'log in' }, 'body.action'],
    ['metadata as a string', { metadata: 'x' }, 'body.metadata'],
    ['a nested metadata value', { metadata: { a: { b: 1 } } }, 'body.metadata'],
    ['too many metadata keys', { metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])) }, 'body.metadata'],
    ['signals as an array', { signals: [] }, 'body.signals'],
    ['a fingerprint with odd characters', { signals: { fingerprint: '<script>' } }, 'body.signals.fingerprint'],
    ['an unknown field', { verdict: 'allow' }, 'body'],
  ])('%s', async (_name, change, where) => {
    await expectError(evaluate({ ...good(), ...change }), 400, 'VALIDATION_ERROR', where);
  });

  it('a missing user', async () => {
    const { user: _user, ...rest } = good();
    await expectError(evaluate(rest), 400, 'VALIDATION_ERROR', 'user');
  });

  it('malformed JSON', async () => {
    await expectError(evaluate('{"client_id": '), 400, 'MALFORMED_JSON');
  });

  it('an empty body', async () => {
    await expectError({ method: 'POST', url: '/v3/client/evaluate', headers: { 'content-type': 'application/json' }, payload: '' }, 400, 'MALFORMED_JSON');
  });

  it('a JSON array instead of an object', async () => {
    await expectError(evaluate('[1,2]'), 400, 'VALIDATION_ERROR');
  });

  it('a body that is not JSON', async () => {
    await expectError({ method: 'POST', url: '/v3/client/evaluate', headers: { 'content-type': 'text/plain' }, payload: 'user=alice' }, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('an oversize body', async () => {
    await expectError(evaluate({ ...good(), metadata: { blob: 'x'.repeat(70_000) } }), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('an unknown client id', async () => {
    await expectError(evaluate({ ...good(), client_id: 'cl_0000' }), 401, 'UNKNOWN_CLIENT_ID');
  });

  it('a prototype-polluting body', async () => {
    await expectError(evaluate(`{"client_id":"${h.project.clientId}","action":"login","user":"a","__proto__":{"admin":true}}`), 400, 'MALFORMED_JSON');
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });
});

describe('server API refuses bad input', () => {
  it('an unknown evaluation id', async () => {
    await expectError({ method: 'GET', url: '/v3/evaluations/ev_doesnotexist', headers: bearer(h.project.secretKey) }, 404, 'EVALUATION_NOT_FOUND');
    await expectError({ method: 'POST', url: '/v3/evaluations/ev_doesnotexist/consume', headers: bearer(h.project.secretKey) }, 404, 'EVALUATION_NOT_FOUND');
  });

  it('an over-long evaluation id', async () => {
    await expectError({ method: 'GET', url: `/v3/evaluations/${'a'.repeat(65)}`, headers: bearer(h.project.secretKey) }, 400, 'VALIDATION_ERROR');
  });

  it.each(['not-an-ip', '1', '300.1.1.1', '2001:db8::g'])('an IP that is not one: %s', async (ip) => {
    await expectError({ method: 'POST', url: '/v3/evaluations', headers: bearer(h.project.secretKey), payload: { action: 'login', user: 'a', ip } }, 400, 'INVALID_IP');
  });

  it('wrong types', async () => {
    await expectError(
      { method: 'POST', url: '/v3/evaluations', headers: bearer(h.project.secretKey), payload: { action: 'login', user: 'a', user_agent: 5 } },
      400,
      'VALIDATION_ERROR',
      'body.user_agent',
    );
  });

  it('an unknown route', async () => {
    await expectError({ method: 'GET', url: '/v3/nothing-here' }, 404, 'NOT_FOUND');
  });
});
