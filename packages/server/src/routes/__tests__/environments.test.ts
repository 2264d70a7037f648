import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, type TestDialect, bearer, createHarness, operatorSession } from '../../test-support/harness.js';

// Keys come per environment (SPEC §8a). The bug this pins: a development key had production powers; it
// consumed a production evaluation and changed the project's mail settings. Now evaluations (and their
// challenges) and policies are the key's environment's own, another environment's being "not found" like
// another project's; what belongs to the whole project (settings, webhooks, lists, users) answers a
// production key or the dashboard's operator only, and a development key gets 403 ENVIRONMENT_NOT_ALLOWED.
describe.each(['sqlite', 'postgres'] as TestDialect[])('environments on %s', (dialect) => {
  let h: Harness;
  let developmentKey: string;
  beforeEach(async () => {
    h = await createHarness({ dialect });
    developmentKey = await h.store.projects.rotateSecretKey({ projectId: h.project.id, environment: 'development', now: h.clock.now, graceMs: 0 });
  });
  afterEach(() => h.close());

  const api = async (key: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) => {
    const res = await h.inject({ method, url, headers: bearer(key), ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };
  const production = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) => api(h.project.secretKey, method, url, payload);
  const development = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) => api(developmentKey, method, url, payload);
  const challengePolicy = {
    name: 'Verify logins',
    events: ['login'],
    priority: 1,
    conditions: { field: 'action', operator: 'eq', value: 'login' },
    action: { type: 'challenge', challenge: { type: 'verification', channels: ['email'] } },
  };
  const consumedAt = async (id: string) => (await h.store.db.selectFrom('evaluations').select('consumed_at').where('id', '=', id).executeTakeFirstOrThrow()).consumed_at;

  it('a development key neither reads nor consumes a production evaluation (it consumed one)', async () => {
    const created = await production('POST', '/v3/evaluations', { action: 'login', user: 'alice' });
    expect(created.body.environment).toBe('production');
    const id = created.body.id as string;
    expect(await development('GET', `/v3/evaluations/${id}`)).toMatchObject({ status: 404, body: { error: { code: 'EVALUATION_NOT_FOUND' } } });
    expect(await development('POST', `/v3/evaluations/${id}/consume`)).toMatchObject({ status: 404, body: { error: { code: 'EVALUATION_NOT_FOUND' } } });
    expect(await consumedAt(id)).toBeNull();
    // Production's own consume still works, once.
    expect((await production('POST', `/v3/evaluations/${id}/consume`)).status).toBe(200);
  });

  it("a development key's evaluations cannot change a user's contact (production's challenge codes would go there)", async () => {
    await production('POST', '/v3/evaluations', { action: 'login', user: 'alice', email: 'alice@example.com' });
    await h.store.db.updateTable('users').set({ is_email_verified: 1 }).where('external_id', '=', 'alice').execute();
    expect((await development('POST', '/v3/evaluations', { action: 'login', user: 'alice', email: 'attacker@evil.example', phone: '+15550001111' })).status).toBe(201);
    expect((await production('GET', '/v3/users/alice')).body).toMatchObject({ email: 'alice@example.com', phone: null, is_email_verified: true });
  });

  it("a development key reads and consumes its own environment's evaluations, which a production key does not see", async () => {
    const created = await development('POST', '/v3/evaluations', { action: 'login', user: 'alice' });
    expect(created).toMatchObject({ status: 201, body: { environment: 'development' } });
    const id = created.body.id as string;
    expect(await production('GET', `/v3/evaluations/${id}`)).toMatchObject({ status: 404, body: { error: { code: 'EVALUATION_NOT_FOUND' } } });
    expect(await production('POST', `/v3/evaluations/${id}/consume`)).toMatchObject({ status: 404 });
    expect(await consumedAt(id)).toBeNull();
    expect((await development('GET', `/v3/evaluations/${id}`)).body.id).toBe(id);
    expect((await development('POST', `/v3/evaluations/${id}/consume`)).status).toBe(200);
    // The v2 flow evaluates in the key's environment too.
    const v2 = await development('POST', '/v2/devices/evaluate', { action: 'login', user: 'alice' });
    expect((await development('GET', `/v3/evaluations/${v2.body.evaluation_id}`)).body.environment).toBe('development');
    // The dashboard's operator reads every environment's evaluations on the dashboard API.
    const operator = await operatorSession(h);
    const seen = await h.inject({ method: 'GET', url: `/dashboard/api/projects/${h.project.id}/evaluations/${id}`, headers: operator.headers });
    expect(seen.json()).toMatchObject({ id, environment: 'development' });
  });

  it("a production evaluation's challenge is not found by a development key, on the v3 and the v2 flows", async () => {
    expect((await production('POST', '/v3/policies', challengePolicy)).status).toBe(201);
    const evaluation = await production('POST', '/v3/evaluations', { action: 'login', user: 'alice', email: 'alice@example.com' });
    const id = evaluation.body.challenge.id as string;
    const notFound = { status: 404, body: { error: { code: 'CHALLENGE_NOT_FOUND' } } };
    expect(await development('GET', `/v3/challenges/${id}`)).toMatchObject(notFound);
    for (const [version, step, body] of [
      ['v3', 'send', {}],
      ['v3', 'verify', { code: '123456' }],
      ['v3', 'complete', undefined],
      ['v2', 'send', {}],
      ['v2', 'verify', { code: '123456' }],
      ['v2', 'complete', undefined],
    ] as const) {
      expect(await development('POST', `/${version}/challenges/${id}/${step}`, body), `${version} ${step}`).toMatchObject(notFound);
    }
    const stored = await h.store.db.selectFrom('challenges').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored.status).toBe('created');
    expect((await production('GET', `/v3/challenges/${id}`)).body.status).toBe('created');
  });

  it("a development policy's challenge is the development key's, not production's", async () => {
    expect((await development('POST', '/v3/policies', challengePolicy)).status).toBe(201);
    const evaluation = await development('POST', '/v3/evaluations', { action: 'login', user: 'alice', email: 'alice@example.com' });
    expect(evaluation.body.verdict).toBe('challenge');
    const id = evaluation.body.challenge.id as string;
    expect((await development('GET', `/v3/challenges/${id}`)).body).toMatchObject({ id, status: 'created' });
    expect(await production('GET', `/v3/challenges/${id}`)).toMatchObject({ status: 404, body: { error: { code: 'CHALLENGE_NOT_FOUND' } } });
  });

  it("policies stay per environment: a development key sees none of production's, nor their versions", async () => {
    const policy = await production('POST', '/v3/policies', challengePolicy);
    const id = policy.body.id as string;
    expect((await development('GET', '/v3/policies')).body.data).toEqual([]);
    expect(await development('GET', `/v3/policies/${id}`)).toMatchObject({ status: 404, body: { error: { code: 'POLICY_NOT_FOUND' } } });
    // The versions route looked the policy up by project alone and showed production's rules.
    expect(await development('GET', `/v3/policies/${id}/versions`)).toMatchObject({ status: 404, body: { error: { code: 'POLICY_NOT_FOUND' } } });
    expect((await production('GET', `/v3/policies/${id}/versions`)).body.data).toHaveLength(1);
  });

  it("the project's settings, webhooks, lists and users answer 403 ENVIRONMENT_NOT_ALLOWED to a development key, and change nothing", async () => {
    await production('POST', '/v3/evaluations', { action: 'login', user: 'alice', email: 'alice@example.com' });
    const refused = { status: 403, body: { error: { code: 'ENVIRONMENT_NOT_ALLOWED' } } };
    const attempts: [method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown][] = [
      ['PUT', '/v3/settings/mail', { smtp_url: 'smtp://mail.attacker.example:25', mail_from: 'Security <security@attacker.example>' }],
      ['GET', '/v3/settings/mail'],
      ['DELETE', '/v3/settings/mail'],
      ['PUT', '/v3/settings/retention', { days: 1 }],
      ['PUT', '/v3/risks', { ato: { thresholds: { medium: 90, high: 95, maximum: 99 } } }],
      ['GET', '/v3/risks'],
      ['PUT', '/v3/webhook', { url: 'https://attacker.example/hooks' }],
      ['GET', '/v3/webhook/deliveries'],
      ['POST', '/v3/lists', { name: 'allowed_ips', type: 'ip' }],
      ['GET', '/v3/lists'],
      ['GET', '/v3/users/alice'],
      ['POST', '/v3/users/alice/suspend', {}],
      ['POST', '/v3/user/alice/update', { email: 'attacker@example.com' }],
      ['GET', '/v3/user/alice/devices'],
      ['DELETE', '/v3/users/alice'],
    ];
    for (const [method, url, payload] of attempts) expect(await development(method, url, payload), `${method} ${url}`).toMatchObject(refused);

    const project = await h.store.db.selectFrom('projects').select(['mail_settings', 'retention_days', 'risk_overrides']).where('id', '=', h.project.id).executeTakeFirstOrThrow();
    expect(project).toEqual({ mail_settings: null, retention_days: null, risk_overrides: '{}' });
    expect(await h.store.db.selectFrom('webhook_endpoints').selectAll().execute()).toEqual([]);
    expect(await h.store.db.selectFrom('lists').selectAll().execute()).toEqual([]);
    expect((await production('GET', '/v3/users/alice')).body).toMatchObject({ email: 'alice@example.com', is_suspended: false });

    // A production key and the dashboard's operator (who is production) may.
    expect((await production('PUT', '/v3/settings/retention', { days: 30 })).status).toBe(200);
    const operator = await operatorSession(h);
    const asOperator = await h.inject({ method: 'POST', url: '/v3/users/alice/suspend', headers: { ...operator.headers, 'x-vigil-project': h.project.id }, payload: {} });
    expect(asOperator.json()).toMatchObject({ id: 'alice', is_suspended: true });
  });

  it('both environments read the check registry and the reference data', async () => {
    expect((await development('GET', '/v3/checks')).status).toBe(200);
    expect((await development('GET', '/v3/reference-data')).status).toBe(200);
  });
});
