import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, type TestDialect, bearer, browserEvaluate, createHarness } from '../../test-support/harness.js';

const ua = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36';

describe.each(['sqlite', 'postgres'] as TestDialect[])('evaluations on %s', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({ dialect });
  });
  afterEach(() => h.close());

  it('answers /healthz: the database up, no Redis on a node of its own', async () => {
    const res = await h.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', dependencies: { database: 'up', redis: 'off' } });
  });

  it('answers /healthz with 503 naming the database when it cannot be reached', async () => {
    await h.store.close();
    const res = await h.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'unavailable', dependencies: { database: 'down', redis: 'off' } });
  });

  it('evaluates a browser login, then the backend reads and consumes it once', async () => {
    const { res, deviceCookie } = await browserEvaluate(
      h,
      { action: 'login', user: 'alice', email: 'alice@example.com', metadata: { cart: 'c-1', items: 2 }, signals: { fingerprint: 'abc123' } },
      { 'user-agent': ua, origin: 'https://shop.example' },
    );
    expect(res.statusCode).toBe(200);
    const body = res.json();
    // Exactly this and nothing more goes to the browser.
    expect(Object.keys(body)).toEqual(['evaluation_id']);
    expect(body.evaluation_id).toMatch(/^ev_[0-9a-z]{26}$/);
    expect(deviceCookie).toMatch(/^[0-9a-f]{32}$/);

    const got = await h.inject({ method: 'GET', url: `/v3/evaluations/${body.evaluation_id}`, headers: bearer(h.project.secretKey) });
    expect(got.statusCode).toBe(200);
    const evaluation = got.json();
    expect(evaluation).toMatchObject({
      id: body.evaluation_id,
      object: 'evaluation',
      project: h.project.id,
      action: 'login',
      verdict: 'allow',
      user: { id: 'alice', email: 'alice@example.com', phone: null },
      ip: '127.0.0.1',
      user_agent: ua,
      origin: 'https://shop.example',
      metadata: { cart: 'c-1', items: 2 },
      policy: null,
      challenge: null,
      redirect: null,
      // Every risk, at every severity: low ones too.
      risk_summary: ['ato', 'fake_account', 'account_sharing', 'scraping', 'linked_accounts', 'bot', 'tampering', 'anti_fingerprinting', 'incognito', 'replay_attack'].map(
        (category) => ({ category, severity: 'low' }),
      ),
      consumed: false,
      consumed_at: null,
      createdAt: '2026-11-25T12:00:00.000Z',
      checks: { is_new_user: true, is_new_ip: true, is_new_fingerprint: true, is_new_device: true, missing_nonce: false, consumed_nonce: false },
    });
    expect(evaluation.user.vigil_id).toMatch(/^us_/);
    expect(evaluation.user.rupt_id).toBe(evaluation.user.vigil_id);
    expect(evaluation.device).toMatch(/^dv_/);
    expect(evaluation.fingerprint).toMatch(/^fp_/);

    h.clock.now += 5000;
    const consumed = await h.inject({ method: 'POST', url: `/v3/evaluations/${body.evaluation_id}/consume`, headers: bearer(h.project.secretKey) });
    expect(consumed.statusCode).toBe(200);
    expect(consumed.json()).toMatchObject({ consumed: true, consumed_at: '2026-11-25T12:00:05.000Z', updatedAt: '2026-11-25T12:00:05.000Z' });

    const again = await h.inject({ method: 'POST', url: `/v3/evaluations/${body.evaluation_id}/consume`, headers: bearer(h.project.secretKey) });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('EVALUATION_ALREADY_CONSUMED');
  });

  it('remembers history: the same user on the same device, fingerprint and IP is not new the second time', async () => {
    const first = await browserEvaluate(h, { action: 'login', user: 'bob', signals: { fingerprint: 'fp1' } });
    h.clock.now += 60_000;
    const nonce = await h.inject({
      method: 'POST',
      url: '/v3/client/nonce',
      payload: { client_id: h.project.clientId },
      headers: { cookie: `vigil_did=${first.deviceCookie}` },
    });
    // A browser that has the cookie keeps it: the nonce call renews it rather than minting another.
    expect(nonce.cookies.find((c) => c.name === 'vigil_did')?.value).toBe(first.deviceCookie);
    const second = await h.inject({
      method: 'POST',
      url: '/v3/client/evaluate',
      payload: { client_id: h.project.clientId, action: 'login', user: 'bob', nonce: nonce.json().nonce, signals: { fingerprint: 'fp1' } },
      // A browser's user agent: the test client's own ("lightMyRequest") is rightly called a bot.
      headers: { cookie: `vigil_did=${first.deviceCookie}`, 'user-agent': ua },
    });
    const got = await h.inject({ method: 'GET', url: `/v3/evaluations/${second.json().evaluation_id}`, headers: bearer(h.project.secretKey) });
    expect(got.json().checks).toMatchObject({ is_new_user: false, is_new_ip: false, is_new_fingerprint: false, is_new_device: false });
    expect(got.json().reasons).toEqual([]);

    const rows = await h.store.db.selectFrom('evaluations').select(['user_id', 'device_id', 'fingerprint_id']).execute();
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => `${r.user_id}|${r.device_id}|${r.fingerprint_id}`)).size).toBe(1);
  });

  it('records a replayed nonce as consumed_nonce, and a request without one as missing_nonce', async () => {
    const nonceRes = await h.inject({ method: 'POST', url: '/v3/client/nonce', payload: { client_id: h.project.clientId } });
    const cookie = `vigil_did=${nonceRes.cookies[0]?.value}`;
    const payload = { client_id: h.project.clientId, action: 'login', user: 'carol', nonce: nonceRes.json().nonce };
    const ids: string[] = [];
    for (const body of [payload, payload, { ...payload, nonce: undefined }]) {
      const res = await h.inject({ method: 'POST', url: '/v3/client/evaluate', payload: body, headers: { cookie } });
      expect(res.statusCode).toBe(200);
      ids.push(res.json().evaluation_id);
    }
    const checks = await Promise.all(ids.map(async (id) => (await h.inject({ method: 'GET', url: `/v3/evaluations/${id}`, headers: bearer(h.project.secretKey) })).json().checks));
    expect(checks[0]).toMatchObject({ consumed_nonce: false, missing_nonce: false, missing_cookie: false });
    expect(checks[1]).toMatchObject({ consumed_nonce: true });
    expect(checks[2]).toMatchObject({ missing_nonce: true, consumed_nonce: false });
  });

  it('creates an evaluation from the backend and answers the full object', async () => {
    const res = await h.inject({
      method: 'POST',
      url: '/v3/evaluations',
      headers: bearer(h.project.secretKey),
      payload: {
        action: 'login',
        user: 'dave',
        email: 'dave@example.com',
        phone: '+4712345678',
        ip: '2001:0db8:0000:0000:0000:0000:0000:0001',
        user_agent: ua,
        fingerprint: 'deadbeef',
        metadata: { source: 'v2' },
      },
    });
    expect(res.statusCode).toBe(201);
    const evaluation = res.json();
    expect(evaluation).toMatchObject({
      object: 'evaluation',
      environment: 'production',
      verdict: 'allow',
      user: { id: 'dave', email: 'dave@example.com', phone: '+4712345678' },
      ip: '2001:db8::1',
      device: null,
      metadata: { source: 'v2' },
      checks: { is_new_user: true, is_new_ip: true, is_new_fingerprint: true },
    });
    // No browser, no nonce and no device cookie: those checks are absent, not guessed.
    expect(evaluation.checks).not.toHaveProperty('is_new_device');
    expect(evaluation.checks).not.toHaveProperty('missing_nonce');
    const stored = await h.inject({ method: 'GET', url: `/v3/evaluations/${evaluation.id}`, headers: bearer(h.project.secretKey) });
    expect(stored.json()).toEqual(evaluation);
  });

  it("takes a fingerprint as the hash or as Rupt v2's [current, last] array, and knows the device by either", async () => {
    const create = async (fingerprint: unknown) => {
      const res = await h.inject({ method: 'POST', url: '/v3/evaluations', headers: bearer(h.project.secretKey), payload: { action: 'login', user: 'fay', fingerprint } });
      expect(res.statusCode, res.body).toBe(201);
      return res.json();
    };
    const first = await create(['c0ffee', null]);
    expect(first.checks.is_new_fingerprint).toBe(true);
    const again = await create('c0ffee');
    expect(again).toMatchObject({ fingerprint: first.fingerprint, checks: { is_new_fingerprint: false } });
    // A browser that has no current hash yet is known by its last one.
    expect(await create([null, 'c0ffee'])).toMatchObject({ fingerprint: first.fingerprint });
    expect((await create(['beef01', 'c0ffee'])).fingerprint).not.toBe(first.fingerprint);
    for (const bad of [[], ['a', 'b', 'c'], [1], 'not a hash!']) {
      const res = await h.inject({ method: 'POST', url: '/v3/evaluations', headers: bearer(h.project.secretKey), payload: { action: 'login', user: 'fay', fingerprint: bad } });
      expect(res.statusCode).toBe(400);
    }
  });

  it('accepts a custom action', async () => {
    const { res } = await browserEvaluate(h, { action: 'payment', user: 'erin' });
    const got = await h.inject({ method: 'GET', url: `/v3/evaluations/${res.json().evaluation_id}`, headers: bearer(h.project.secretKey) });
    expect(got.json().action).toBe('payment');
  });
});
