import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, type TestDialect, bearer, browserEvaluate, createHarness } from '../../test-support/harness.js';

// Policies, lists and risks through the server API, and evaluations that obey them, on both dialects.

describe.each(['sqlite', 'postgres'] as TestDialect[])('the decision on %s', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({ dialect });
  });
  afterEach(() => h.close());

  const api = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, key = h.project.secretKey) => {
    const res = await h.inject({ method, url, headers: bearer(key), ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };
  const serverEvaluate = async (body: Record<string, unknown>) => (await api('POST', '/v3/evaluations', { action: 'login', user: 'alice', ...body })).body;
  const createPolicy = async (policy: Record<string, unknown>) => {
    const res = await api('POST', '/v3/policies', { events: ['login'], priority: 10, enabled: true, ...policy });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };

  it('serves the check registry with types and descriptions', async () => {
    const { status, body } = await api('GET', '/v3/checks');
    expect(status).toBe(200);
    const byName = Object.fromEntries(body.data.map((c: { name: string }) => [c.name, c]));
    expect(byName.is_new_ip).toMatchObject({ type: 'boolean', family: expect.any(String), description: expect.any(String) });
    expect(byName.travel_speed_kmh).toMatchObject({ type: 'number' });
    expect(byName.event_count).toMatchObject({ type: 'number', params: 'event_count' });
    expect(body.data.length).toBeGreaterThan(60);
  });

  it('reorders the policies in one step: the new first one decides, and each that moved has a new version', async () => {
    const deny = await createPolicy({ name: 'Deny logins', priority: 1, conditions: { field: 'action', operator: 'eq', value: 'login' }, action: { type: 'deny' } });
    const allow = await createPolicy({ name: 'Allow logins', priority: 2, conditions: { field: 'action', operator: 'eq', value: 'login' }, action: { type: 'allow' } });
    expect((await serverEvaluate({})).policy).toMatchObject({ id: deny.id });
    const reordered = await api('POST', '/v3/policies/reorder', { order: [allow.id, deny.id] });
    expect(reordered.status, JSON.stringify(reordered.body)).toBe(200);
    expect(reordered.body.data.map((p: { id: string; priority: number; version: number }) => [p.id, p.priority, p.version])).toEqual([
      [allow.id, 1, 2],
      [deny.id, 2, 2],
    ]);
    expect(await serverEvaluate({})).toMatchObject({ verdict: 'allow', policy: { id: allow.id } });
    expect((await api('GET', `/v3/policies/${allow.id}/versions`)).body.data.map((v: { version: number; policy: { priority: number } }) => [v.version, v.policy.priority])).toEqual(
      [
        [2, 1],
        [1, 2],
      ],
    );
    // The same order again changes nothing.
    expect((await api('POST', '/v3/policies/reorder', { order: [allow.id, deny.id] })).body.data.map((p: { version: number }) => p.version)).toEqual([2, 2]);
    // An order that leaves one out, names one twice or names another project's is refused and changes nothing.
    const other = await api(
      'POST',
      '/v3/policies',
      { name: 'Theirs', events: ['login'], priority: 1, conditions: { field: 'action', operator: 'eq', value: 'login' }, action: { type: 'deny' } },
      h.other.secretKey,
    );
    for (const order of [[allow.id], [allow.id, deny.id, other.body.id]]) {
      expect(await api('POST', '/v3/policies/reorder', { order })).toMatchObject({ status: 409, body: { error: { code: 'POLICY_ORDER_STALE' } } });
    }
    expect(await api('POST', '/v3/policies/reorder', { order: [allow.id, allow.id] })).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_ERROR' } } });
    expect((await api('GET', '/v3/policies')).body.data.map((p: { id: string }) => p.id)).toEqual([allow.id, deny.id]);
  });

  it('allows with no policy, and still scores every risk', async () => {
    const evaluation = await serverEvaluate({ ip: '203.0.113.7' });
    expect(evaluation).toMatchObject({ verdict: 'allow', policy: null });
    expect(evaluation.risks.map((r: { category: string }) => r.category)).toEqual(
      expect.arrayContaining(['ato', 'fake_account', 'account_sharing', 'scraping', 'linked_accounts', 'bot', 'tampering', 'anti_fingerprinting', 'incognito', 'replay_attack']),
    );
  });

  it('gives checks the facts of intel: email, phone, user agent, IP', async () => {
    const disposable = await serverEvaluate({
      action: 'signup',
      user: 'x1',
      email: 'Someone@MX.0-mail.com',
      phone: '+47 412 34 567',
      ip: '84.208.1.1',
      user_agent: 'curl/8.5.0',
    });
    expect(disposable.checks).toMatchObject({
      email_is_disposable: true,
      email_is_invalid: false,
      email_domain: '0-mail.com',
      phone_is_invalid: false,
      phone_country: 'NO',
      phone_type: 'mobile',
      ua_is_bot: true,
      ip_country: 'NO',
      ip_is_tor: false,
    });
    expect(disposable.ip_info).toMatchObject({ country: 'NO', type: 'isp', asn_type: 'isp' });
    expect(disposable.risks.find((r: { category: string }) => r.category === 'fake_account').severity).toBe('high');
    const webmail = await serverEvaluate({ action: 'signup', user: 'x2', email: 'someone@gmail.com', phone: '12' });
    expect(webmail.checks).toMatchObject({ email_is_disposable: false, email_is_webmail: true, phone_is_invalid: true });
  });

  it('tells an iPad from the Mac it claims to be by its touch points, and a phone by its client hint', async () => {
    const macUa = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 Safari/605.1.15';
    await browserEvaluate(h, { action: 'login', user: 'ipad', signals: { attributes: { hardware: { value: { touch_points: 5 }, ms: 1 } } } }, { 'user-agent': macUa });
    const ipadDevices = await h.store.db.selectFrom('devices').select('device_class').execute();
    expect(ipadDevices.map((d) => d.device_class)).toEqual(['tablet']);
    const chromeUa = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36';
    const { res } = await browserEvaluate(h, { action: 'login', user: 'phone' }, { 'user-agent': chromeUa, 'sec-ch-ua-mobile': '?1' });
    const evaluation = (await api('GET', `/v3/evaluations/${res.json().evaluation_id}`)).body;
    expect(evaluation.checks).toMatchObject({ mobile_device_count: 1, computer_device_count: 0 });
  });

  it('re-links a browser whose storage was cleared, and a backend evaluation with its hash, to the same device', async () => {
    const signals = { fingerprint: 'a1b2c3d4e5f6' };
    const first = await browserEvaluate(h, { action: 'login', user: 'rita', signals });
    const device = (await api('GET', `/v3/evaluations/${first.res.json().evaluation_id}`)).body.device;
    h.clock.now += 3_600_000;
    // No cookie: the browser's storage was cleared; the nonce call gives it a new one.
    const cleared = await browserEvaluate(h, { action: 'login', user: 'rita', signals });
    expect(cleared.deviceCookie).not.toBe(first.deviceCookie);
    const again = (await api('GET', `/v3/evaluations/${cleared.res.json().evaluation_id}`)).body;
    expect(again).toMatchObject({ device, checks: { is_new_device: false, is_new_fingerprint: false } });
    // The backend sends what Vigil.getHash() gave the page: the same device.
    const backend = await serverEvaluate({ user: 'rita', fingerprint: 'a1b2c3d4e5f6' });
    expect(backend).toMatchObject({ device, checks: { is_new_device: false } });
    // And the new cookie now names that device.
    const third = await h.inject({ method: 'POST', url: '/v3/client/nonce', payload: { client_id: h.project.clientId }, headers: { cookie: `vigil_did=${cleared.deviceCookie}` } });
    const evaluated = await h.inject({
      method: 'POST',
      url: '/v3/client/evaluate',
      payload: { client_id: h.project.clientId, action: 'login', user: 'rita', nonce: third.json().nonce },
      headers: { cookie: `vigil_did=${cleared.deviceCookie}` },
    });
    expect((await api('GET', `/v3/evaluations/${evaluated.json().evaluation_id}`)).body.device).toBe(device);
    expect(await h.store.db.selectFrom('devices').select('id').execute()).toHaveLength(1);
  });

  it('denies by the first matching policy by priority, and explains it with the trace', async () => {
    const deny = await createPolicy({ name: 'Deny new IPs', priority: 20, conditions: { field: 'is_new_ip', operator: 'eq', value: true }, action: { type: 'deny' } });
    await createPolicy({ name: 'Allow premium', priority: 10, conditions: { field: 'metadata.plan', operator: 'eq', value: 'premium' }, action: { type: 'allow' } });
    const premium = await serverEvaluate({ ip: '203.0.113.7', metadata: { plan: 'premium' } });
    expect(premium).toMatchObject({ verdict: 'allow', policy: { name: 'Allow premium', version: 1 } });
    const denied = await serverEvaluate({ ip: '198.51.100.1', metadata: { plan: 'free' } });
    expect(denied.verdict).toBe('deny');
    expect(denied.policy).toMatchObject({
      id: deny.id,
      name: 'Deny new IPs',
      version: 1,
      action: { type: 'deny' },
      trace: { node: 'is_new_ip', status: 'matched', operator: 'eq', expected: true, actual: true },
    });
    // The same IP again is no longer new: no policy matches.
    expect((await serverEvaluate({ ip: '198.51.100.1' })).verdict).toBe('allow');
  });

  it('runs policies only for their events and while enabled, and keeps every version', async () => {
    const policy = await createPolicy({ name: 'Deny signups', events: ['signup'], conditions: { field: 'is_new_user', operator: 'eq', value: true }, action: { type: 'deny' } });
    expect((await serverEvaluate({ action: 'login', user: 'u1' })).verdict).toBe('allow');
    expect((await serverEvaluate({ action: 'signup', user: 'u2' })).verdict).toBe('deny');
    const updated = await api('PUT', `/v3/policies/${policy.id}`, { ...policy, id: undefined, enabled: false });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body).toMatchObject({ version: 2, enabled: false });
    expect((await serverEvaluate({ action: 'signup', user: 'u3' })).verdict).toBe('allow');
    const versions = await api('GET', `/v3/policies/${policy.id}/versions`);
    expect(versions.body.data.map((v: { version: number; policy: { enabled: boolean } }) => [v.version, v.policy.enabled])).toEqual([
      [2, false],
      [1, true],
    ]);
    expect((await api('DELETE', `/v3/policies/${policy.id}`)).status).toBe(204);
    expect((await api('GET', `/v3/policies/${policy.id}`)).status).toBe(404);
    expect((await api('GET', '/v3/policies')).body.data).toEqual([]);
  });

  it('enables and disables a policy, each a new version', async () => {
    const policy = await createPolicy({ name: 'Deny new users', conditions: { field: 'is_new_user', operator: 'eq', value: true }, action: { type: 'deny' } });
    expect((await api('POST', `/v3/policies/${policy.id}/disable`)).body).toMatchObject({ enabled: false, version: 2 });
    expect((await serverEvaluate({ user: 'u1' })).verdict).toBe('allow');
    expect((await api('POST', `/v3/policies/${policy.id}/enable`)).body).toMatchObject({ enabled: true, version: 3 });
    expect((await serverEvaluate({ user: 'u2' })).verdict).toBe('deny');
  });

  it('tests a draft policy against past evaluations before anyone enables it', async () => {
    for (const user of ['a', 'b', 'c']) await serverEvaluate({ user, ip: '203.0.113.7', metadata: { plan: user === 'c' ? 'pro' : 'free' } });
    await serverEvaluate({ user: 'a', ip: '203.0.113.7', metadata: { plan: 'free' } });
    const old = await serverEvaluate({ user: 'z', ip: '203.0.113.7' });
    h.clock.now += 8 * 86_400_000;
    await serverEvaluate({ user: 'd', ip: '203.0.113.8', metadata: { plan: 'free' } });
    const draft = {
      name: 'Deny free new users',
      events: ['login'],
      priority: 5,
      enabled: false,
      conditions: {
        all: [
          { field: 'is_new_user', operator: 'eq', value: true },
          { field: 'metadata.plan', operator: 'eq', value: 'free' },
        ],
      },
      action: { type: 'deny' },
    };
    const week = await api('POST', '/v3/policies/test', { policy: draft, days: 7 });
    expect(week).toEqual({ status: 200, body: { evaluated: 1, matched: 1, changed: 1, samples: [expect.stringMatching(/^ev_/)] } });
    const tenDays = await api('POST', '/v3/policies/test', { policy: draft, days: 10 });
    expect(tenDays.body).toMatchObject({ evaluated: 6, matched: 3, changed: 3 });
    expect(tenDays.body.samples).not.toContain(old.id);
    // A draft that allows changes nothing while every verdict is already allow; nothing was saved.
    expect((await api('POST', '/v3/policies/test', { policy: { ...draft, action: { type: 'allow' } }, days: 10 })).body).toMatchObject({ matched: 3, changed: 0 });
    expect((await api('GET', '/v3/policies')).body.data).toEqual([]);
    expect((await api('POST', '/v3/policies/test', { policy: { ...draft, conditions: { field: 'nope', operator: 'eq', value: 1 } } })).status).toBe(400);
  });

  it('matches lists, and a policy outcome adds to a list in the same transaction', async () => {
    expect((await api('POST', '/v3/lists', { name: 'blocked_ips', type: 'ip' })).status).toBe(201);
    await createPolicy({ name: 'Block listed IPs', priority: 1, conditions: { field: 'in_list:blocked_ips', operator: 'eq', value: true }, action: { type: 'deny' } });
    await createPolicy({
      name: 'List Tor-like users',
      priority: 2,
      conditions: { field: 'metadata.flag', operator: 'eq', value: true },
      action: { type: 'add_to_list', list: 'blocked_ips', value: 'ip' },
    });
    const flagged = await serverEvaluate({ ip: '2001:DB8::0001', metadata: { flag: true } });
    expect(flagged.verdict).toBe('add_to_list');
    const list = await api('GET', '/v3/lists/blocked_ips');
    expect(list.body).toMatchObject({ name: 'blocked_ips', type: 'ip', entries: 1, data: [{ value: '2001:db8::1', expires_at: null }] });
    // The same address, written another way, is now denied.
    expect((await serverEvaluate({ user: 'bob', ip: '2001:db8:0:0::1' })).verdict).toBe('deny');
    expect((await api('DELETE', '/v3/lists/blocked_ips/entries/2001:db8::1')).status).toBe(204);
    expect((await serverEvaluate({ user: 'carol', ip: '2001:db8::1' })).verdict).toBe('allow');
  });

  it('suspends a user; is_suspended holds from then on', async () => {
    await createPolicy({ name: 'Suspend chargebacks', conditions: { field: 'metadata.chargeback', operator: 'eq', value: true }, action: { type: 'suspend' } });
    await createPolicy({ name: 'Deny suspended', priority: 1, conditions: { field: 'is_suspended', operator: 'eq', value: true }, action: { type: 'deny' } });
    expect((await serverEvaluate({ metadata: { chargeback: true } })).verdict).toBe('suspend');
    const next = await serverEvaluate({});
    expect(next).toMatchObject({ verdict: 'deny', checks: { is_suspended: true }, policy: { name: 'Deny suspended' } });
  });

  it('opens a challenge: the browser gets a signed redirect, the backend the challenge', async () => {
    await createPolicy({
      name: 'Verify new devices',
      conditions: {
        all: [
          { field: 'is_new_device', operator: 'eq', value: true },
          { field: 'is_new_user', operator: 'eq', value: false },
        ],
      },
      action: { type: 'challenge', challenge: { type: 'verification', channels: ['email'], success_url: 'https://shop.example/welcome' } },
    });
    const first = await browserEvaluate(h, { action: 'login', user: 'alice', email: 'alice@example.com' });
    expect(Object.keys(first.res.json())).toEqual(['evaluation_id']);
    // A day later, from another browser (a new device, not a second session at once).
    h.clock.now += 86_400_000;
    const second = await browserEvaluate(h, { action: 'login', user: 'alice', email: 'alice@example.com' });
    const answer = second.res.json();
    expect(Object.keys(answer).sort()).toEqual(['evaluation_id', 'redirect']);
    expect(answer.redirect).toMatch(/^http:\/\/vigil\.test\/challenge\/ch_[0-9a-z]{26}\?t=\d+\.[\w-]{43}$/);
    const evaluation = (await api('GET', `/v3/evaluations/${answer.evaluation_id}`)).body;
    expect(evaluation).toMatchObject({
      verdict: 'challenge',
      redirect: answer.redirect,
      challenge: { type: 'account_takeover', method: 'verification', status: 'created', channels: ['email'] },
    });
    expect(evaluation.challenge.reasons).toContain('new_device');
    const challenge = await api('GET', `/v3/challenges/${evaluation.challenge.id}`);
    expect(challenge.body).toMatchObject({ id: evaluation.challenge.id, evaluation: evaluation.id, status: 'created', success_url: 'https://shop.example/welcome' });
    expect((await api('GET', `/v3/challenges/${evaluation.challenge.id}`, undefined, h.other.secretKey)).status).toBe(404);
  });

  it('restricts, and challenges then restricts: the browser gets the challenge redirect, the backend the verdict', async () => {
    await createPolicy({
      name: 'Restrict checkouts from new IPs',
      events: ['checkout'],
      conditions: { field: 'is_new_ip', operator: 'eq', value: true },
      action: { type: 'restrict' },
    });
    const restricted = await serverEvaluate({ action: 'checkout', user: 'rita', ip: '203.0.113.9' });
    expect(restricted).toMatchObject({ verdict: 'restrict', challenge: null, redirect: null, policy: { name: 'Restrict checkouts from new IPs', action: { type: 'restrict' } } });
    await createPolicy({
      name: 'Verify, then restrict, new devices',
      conditions: { field: 'is_new_device', operator: 'eq', value: true },
      action: { type: 'challenge_and_restrict', challenge: { type: 'verification', channels: ['email'] } },
    });
    const { res } = await browserEvaluate(h, { action: 'login', user: 'rita', email: 'rita@example.com' });
    expect(Object.keys(res.json()).sort()).toEqual(['evaluation_id', 'redirect']);
    const evaluation = (await api('GET', `/v3/evaluations/${res.json().evaluation_id}`)).body;
    expect(evaluation).toMatchObject({ verdict: 'challenge_and_restrict', redirect: res.json().redirect, challenge: { method: 'verification', status: 'created' } });
  });

  it('counts events in an exact sliding window for event_count', async () => {
    await createPolicy({
      name: 'Too many logins from one IP',
      conditions: { field: 'event_count', params: { action: 'login', window: '10m', by: 'ip' }, operator: 'gt', value: 3 },
      action: { type: 'deny' },
    });
    const verdicts: string[] = [];
    for (let i = 0; i < 4; i++) {
      verdicts.push((await serverEvaluate({ user: `u${i}`, ip: '203.0.113.50' })).verdict);
      h.clock.now += 60_000;
    }
    expect(verdicts).toEqual(['allow', 'allow', 'allow', 'deny']);
    // Now exactly ten minutes after the second: the window (now − 10 min, now] holds the third and the
    // fourth, and this one makes three.
    h.clock.now += 7 * 60_000;
    const later = await serverEvaluate({ user: 'u9', ip: '203.0.113.50' });
    expect(later.verdict).toBe('allow');
  });

  it('applies per-project risk overrides, and risk conditions compare severities', async () => {
    await createPolicy({ name: 'Deny risky logins', conditions: { field: 'risk:ato', operator: 'gte', value: 'high' }, action: { type: 'deny' } });
    await serverEvaluate({ ip: '203.0.113.7' });
    // A known user from a new IP in another network: a little ATO risk, low by the built-in thresholds.
    const newIp = await serverEvaluate({ ip: '198.51.100.8' });
    expect(newIp.verdict).toBe('allow');
    const ato = newIp.risks.find((r: { category: string }) => r.category === 'ato');
    expect(ato).toMatchObject({ severity: 'low' });
    expect(ato.score).toBeGreaterThan(0);
    expect(ato.contributions.map((c: { check: string }) => c.check)).toEqual(expect.arrayContaining(['is_new_ip', 'ip_prefix_is_new']));
    const put = await api('PUT', '/v3/risks', { ato: { thresholds: { medium: 1, high: 2, maximum: 100 } } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const risky = await serverEvaluate({ ip: '198.51.100.9' });
    expect(risky.risks.find((r: { category: string }) => r.category === 'ato')).toMatchObject({ severity: 'high' });
    expect(risky.verdict).toBe('deny');
    expect((await api('GET', '/v3/risks')).body.overrides).toEqual({ ato: { thresholds: { medium: 1, high: 2, maximum: 100 } } });
    expect(risky.risk_summary).toContainEqual({ category: 'ato', severity: 'high' });
  });

  it("keeps one project's policies and lists from another's key", async () => {
    const policy = await createPolicy({ name: 'p', conditions: { field: 'is_new_ip', operator: 'eq', value: true }, action: { type: 'deny' } });
    await api('POST', '/v3/lists', { name: 'mine', type: 'email' });
    expect((await api('GET', `/v3/policies/${policy.id}`, undefined, h.other.secretKey)).status).toBe(404);
    expect((await api('GET', '/v3/policies', undefined, h.other.secretKey)).body.data).toEqual([]);
    expect((await api('GET', '/v3/lists/mine', undefined, h.other.secretKey)).status).toBe(404);
  });
});
