import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { type Harness, type TestDialect, bearer, browserEvaluate, createHarness, operatorSession } from '../../test-support/harness.js';
import { clientRouteRateLimitCases } from '../../test-support/security-cases.js';

// Security finding "No rate limits" (SPEC §11): 300 client evaluations with 300 new user ids from one
// address took under a second, all 200, each writing a user, a device and an evaluation. These pin the
// limits per client address, per client id and per secret key (or operator), on both dialects.

const tables = ['users', 'devices', 'evaluations', 'nonces'] as const;
async function rows(h: Harness): Promise<Record<(typeof tables)[number], number>> {
  const counts = await Promise.all(
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
  return Object.fromEntries(tables.map((t, i) => [t, counts[i]])) as Record<(typeof tables)[number], number>;
}

/** 429 in our envelope, with a Retry-After of whole seconds, at least 1; returns it. */
function expectRateLimited(res: LightMyRequestResponse): number {
  expect(res.statusCode).toBe(429);
  expect(res.json()).toEqual({ error: { code: 'RATE_LIMITED', message: expect.any(String), request_id: expect.stringMatching(/^req_/) } });
  expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
  return Number(res.headers['retry-after']);
}

const from = (address: string) => ({ 'x-forwarded-for': address });
const nonce = (h: Harness, headers: Record<string, string> = {}, clientId = h.project.clientId) =>
  h.inject({ method: 'POST', url: '/v3/client/nonce', payload: { client_id: clientId }, headers });

describe.each(['sqlite', 'postgres'] as TestDialect[])('rate limits on %s', (dialect) => {
  let h: Harness;
  afterEach(() => h?.close());
  // The loopback peer is the test's "proxy", so X-Forwarded-For sets each request's client address.
  const harness = async (limits?: string) => {
    h = await createHarness({ dialect, env: { ...(limits === undefined ? {} : { VIGIL_RATE_LIMITS: limits }), TRUSTED_PROXIES: '127.0.0.1' } });
    return h;
  };

  it('refuses the reported flood (new user ids from one address) past client_ip, writing nothing; other addresses carry on; the window passing restores it', async () => {
    await harness('client_ip=20/1m');
    const attacker = from('203.0.113.66');
    // Ten evaluations are twenty requests (nonce, evaluate): all allowed, each writing as usual.
    for (let i = 0; i < 10; i++) expect((await browserEvaluate(h, { action: 'signup', user: `new-${i}` }, attacker)).res.statusCode).toBe(200);
    const before = await rows(h);
    expect(before).toMatchObject({ users: 10, evaluations: 10 });

    let retryAfter = 0;
    for (let i = 10; i < 40; i++) {
      const { res } = await browserEvaluate(h, { action: 'signup', user: `new-${i}` }, attacker);
      retryAfter = expectRateLimited(res);
    }
    // The limited requests wrote nothing at all: no user, device, evaluation or nonce.
    expect(await rows(h)).toEqual(before);
    expect(retryAfter).toBeLessThanOrEqual(120);

    // Another address is not held back by this one.
    expect((await browserEvaluate(h, { action: 'signup', user: 'neighbour' }, from('198.51.100.7'))).res.statusCode).toBe(200);

    // Once Retry-After has passed the address is served again.
    h.clock.now += retryAfter * 1000 - 1000;
    expectRateLimited(await nonce(h, attacker));
    h.clock.now += 1000;
    expect((await nonce(h, attacker)).statusCode).toBe(200);
    // Two windows on, the whole allowance is back.
    h.clock.now += 120_000;
    for (let i = 0; i < 10; i++) expect((await browserEvaluate(h, { action: 'signup', user: `later-${i}` }, attacker)).res.statusCode).toBe(200);
  });

  it('counts an IPv6 client by its /64: fresh addresses from one network are one address', async () => {
    await harness('client_ip=4/1m');
    for (const address of ['2001:db8:aa:bb::1', '2001:db8:aa:bb::2', '2001:db8:aa:bb::a:b', '2001:db8:aa:bb:ffff:ffff:ffff:ffff'])
      expect((await nonce(h, from(address))).statusCode).toBe(200);
    expectRateLimited(await nonce(h, from('2001:db8:aa:bb::99')));
    expect((await nonce(h, from('2001:db8:aa:bc::1'))).statusCode).toBe(200);
  });

  it('limits one client id across every address (client_id), and no other project', async () => {
    await harness('client_ip=1000/1m,client_id=6/1m');
    for (let i = 0; i < 3; i++) expect((await browserEvaluate(h, { action: 'login', user: `u${i}` }, from(`198.51.100.${i + 1}`))).res.statusCode).toBe(200);
    const before = await rows(h);
    const res = (await browserEvaluate(h, { action: 'login', user: 'u-next' }, from('198.51.100.99'))).res;
    expectRateLimited(res);
    expect(res.json().error.message).toContain('client_id');
    expect(await rows(h)).toEqual(before);
    expect((await nonce(h, from('198.51.100.99'), h.other.clientId)).statusCode).toBe(200);
    h.clock.now += 120_000;
    expect((await browserEvaluate(h, { action: 'login', user: 'u-next' }, from('198.51.100.99'))).res.statusCode).toBe(200);
  });

  it('limits a secret key across /v3 and /v2 routes (api_key), writing nothing past it; another key carries on', async () => {
    await harness('api_key=5/1m');
    const key = bearer(h.project.secretKey);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await h.inject({ method: 'POST', url: '/v3/evaluations', headers: key, payload: { action: 'login', user: `b${i}` } })).statusCode);
    for (let i = 0; i < 2; i++)
      statuses.push((await h.inject({ method: 'POST', url: '/v2/devices/evaluate', headers: key, payload: { action: 'login', user: `v${i}` } })).statusCode);
    expect(statuses).toEqual([201, 201, 201, 200, 200]);
    const before = await rows(h);
    expectRateLimited(await h.inject({ method: 'POST', url: '/v2/devices/evaluate', headers: key, payload: { action: 'login', user: 'v-next' } }));
    expectRateLimited(await h.inject({ method: 'POST', url: '/v3/evaluations', headers: key, payload: { action: 'login', user: 'b-next' } }));
    expectRateLimited(await h.inject({ method: 'GET', url: '/v3/checks', headers: key }));
    expect(await rows(h)).toEqual(before);
    // The key's limit is the key's, whatever address it comes from; another project's key is served.
    expectRateLimited(await h.inject({ method: 'GET', url: '/v3/checks', headers: { ...key, ...from('198.51.100.5') } }));
    expect((await h.inject({ method: 'GET', url: '/v3/checks', headers: bearer(h.other.secretKey) })).statusCode).toBe(200);
    h.clock.now += 120_000;
    expect((await h.inject({ method: 'POST', url: '/v3/evaluations', headers: key, payload: { action: 'login', user: 'b-next' } })).statusCode).toBe(201);
  });

  it('slows a key-guessing flood per address: past client_ip of failures even a right key is refused there, unlooked-up', async () => {
    await harness('client_ip=10/1m');
    const guesser = from('203.0.113.9');
    for (let i = 0; i < 10; i++) {
      const res = await h.inject({ method: 'GET', url: '/v3/checks', headers: { ...bearer(`sk_guess_${i}_0123456789abcdef`), ...guesser } });
      expect(res.json().error.code).toBe('INVALID_SECRET_KEY');
    }
    const refused = await h.inject({ method: 'GET', url: '/v3/checks', headers: { ...bearer('sk_guess_next_0123456789abcdef'), ...guesser } });
    expectRateLimited(refused);
    expect(refused.body).not.toContain('sk_guess');
    // A right guess must look exactly like a wrong one from here, or the 429 would not slow guessing.
    expectRateLimited(await h.inject({ method: 'GET', url: '/v3/checks', headers: { ...bearer(h.project.secretKey), ...guesser } }));
    expectRateLimited(await h.inject({ method: 'GET', url: '/v3/checks', headers: guesser }));
    // The backend at another address is unaffected, and successes from it count nothing against it.
    for (let i = 0; i < 15; i++)
      expect((await h.inject({ method: 'GET', url: '/v3/checks', headers: { ...bearer(h.project.secretKey), ...from('198.51.100.20') } })).statusCode).toBe(200);
    // The browser-facing allowance of the guesser's address is its own: client-API requests are not refused.
    expect((await nonce(h, guesser)).statusCode).toBe(200);
    h.clock.now += 120_000;
    expect((await h.inject({ method: 'GET', url: '/v3/checks', headers: { ...bearer(h.project.secretKey), ...guesser } })).statusCode).toBe(200);
  });

  it('counts a dashboard operator calling /v3 per operator, across sessions', async () => {
    await harness('api_key=3/1m');
    const first = await operatorSession(h, 'ops@example.test', 'a long operator passphrase');
    const headers = { ...first.headers, 'x-vigil-project': h.project.id };
    for (let i = 0; i < 3; i++) expect((await h.inject({ method: 'GET', url: '/v3/checks', headers })).statusCode).toBe(200);
    expectRateLimited(await h.inject({ method: 'GET', url: '/v3/checks', headers }));
    // Logging in again is the same operator: no fresh allowance.
    const login = await h.inject({
      method: 'POST',
      url: '/dashboard/login',
      payload: new URLSearchParams({ email: 'ops@example.test', password: 'a long operator passphrase' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const cookie = login.cookies.find((c) => c.name === 'vigil_session')!;
    const csrf = (await h.inject({ method: 'GET', url: '/dashboard/api/session', headers: { cookie: `vigil_session=${cookie.value}` } })).json().csrf as string;
    expect(cookie.value).not.toBe(first.headers.cookie.slice('vigil_session='.length));
    expectRateLimited(
      await h.inject({ method: 'GET', url: '/v3/checks', headers: { cookie: `vigil_session=${cookie.value}`, 'x-vigil-csrf': csrf, 'x-vigil-project': h.project.id } }),
    );
    // The project's secret key is a different caller with its own allowance.
    expect((await h.inject({ method: 'GET', url: '/v3/checks', headers: bearer(h.project.secretKey) })).statusCode).toBe(200);
  });

  it('turns a family off with a limit of 0', async () => {
    await harness('client_ip=0,client_id=0');
    // Past the default of 300 per minute per address, from one address at one frozen instant.
    for (let i = 0; i < 320; i++) expect((await nonce(h)).statusCode).toBe(200);
  });

  it('turns every family off with `off`', async () => {
    await harness('off');
    for (let i = 0; i < 320; i++) expect((await nonce(h)).statusCode).toBe(200);
  });

  it('allows exactly the limit of many concurrent client requests', async () => {
    await harness('client_ip=10/1m');
    const results = await Promise.all(Array.from({ length: 50 }, () => nonce(h, from('203.0.113.50'))));
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(10);
    for (const r of results.filter((x) => x.statusCode !== 200)) expectRateLimited(r);
    expect((await rows(h)).nonces).toBe(10);
  });

  it('allows exactly the limit of many concurrent server-API evaluations', async () => {
    await harness('api_key=10/1m');
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => h.inject({ method: 'POST', url: '/v3/evaluations', headers: bearer(h.project.secretKey), payload: { action: 'login', user: `c${i}` } })),
    );
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(10);
    for (const r of results.filter((x) => x.statusCode !== 201)) expectRateLimited(r);
    expect(await rows(h)).toMatchObject({ evaluations: 10, users: 10 });
  });

  it('refuses the reported flood under the defaults too: 150 evaluations (300 requests) a minute from one address, then 429', async () => {
    await harness();
    for (let i = 0; i < 150; i++) expect((await browserEvaluate(h, { action: 'login', user: `d${i}` })).res.statusCode).toBe(200);
    expectRateLimited(await nonce(h));
  });
});

describe('client routes past their rate limits', () => {
  let h: Harness;
  const origin = 'https://shop.example';
  // A fresh harness per case: each starts from an empty window.
  beforeEach(async () => {
    h = await createHarness({ origins: [origin] });
  });
  afterEach(() => h.close());
  for (const url of ['/v3/client/nonce', '/v3/client/evaluate'] as const) {
    describe(`POST ${url}`, () => clientRouteRateLimitCases({ url }, () => ({ h, origin })));
  }
});
