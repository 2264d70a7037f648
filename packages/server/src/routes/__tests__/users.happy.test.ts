import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, type TestDialect, bearer, browserEvaluate, createHarness } from '../../test-support/harness.js';

describe.each(['sqlite', 'postgres'] as TestDialect[])('users on %s', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({ dialect });
  });
  afterEach(() => h.close());

  const api = async (method: 'GET' | 'POST', url: string, payload?: unknown, key = h.project.secretKey) => {
    const res = await h.inject({ method, url, headers: bearer(key), ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };

  it('shows a user, suspends and lifts the suspension, and evaluations see it', async () => {
    await browserEvaluate(h, { action: 'login', user: 'ann@corp', email: 'ann@corp.example' }, { 'user-agent': 'Mozilla/5.0 Chrome/156' });
    const user = await api('GET', `/v3/users/${encodeURIComponent('ann@corp')}`);
    expect(user.body).toMatchObject({ id: 'ann@corp', object: 'user', email: 'ann@corp.example', is_suspended: false, first_seen_at: '2026-11-25T12:00:00.000Z' });
    expect(user.body.vigil_id).toMatch(/^us_/);
    expect((await api('POST', '/v3/users/ann%40corp/suspend')).body.is_suspended).toBe(true);
    const evaluation = await api('POST', '/v3/evaluations', { action: 'login', user: 'ann@corp' });
    expect(evaluation.body.checks.is_suspended).toBe(true);
    expect((await api('POST', '/v3/users/ann%40corp/unsuspend')).body.is_suspended).toBe(false);
    expect((await api('POST', '/v3/evaluations', { action: 'login', user: 'ann@corp' })).body.checks.is_suspended).toBe(false);
  });

  it("lists a user's devices, most recent first", async () => {
    await browserEvaluate(h, { action: 'login', user: 'bo' }, { 'user-agent': 'Firefox' });
    h.clock.now += 60_000;
    await browserEvaluate(h, { action: 'login', user: 'bo' }, { 'user-agent': 'Safari' });
    const devices = await api('GET', '/v3/user/bo/devices');
    expect(devices.body.data.map((d: { user_agent: string }) => d.user_agent)).toEqual(['Safari', 'Firefox']);
    expect(devices.body.data[0]).toMatchObject({ object: 'device', id: expect.stringMatching(/^dv_/), last_seen_at: '2026-11-25T12:01:00.000Z' });
  });

  it('updates only the fields sent', async () => {
    await api('POST', '/v3/evaluations', { action: 'signup', user: 'cy', email: 'cy@example.com', phone: '+4712345678' });
    expect((await api('POST', '/v3/user/cy/update', { metadata: { plan: 'team' }, groups: ['acme'] })).status).toBe(204);
    expect((await api('POST', '/v3/user/cy/update', { phone: null })).status).toBe(204);
    expect((await api('GET', '/v3/users/cy')).body).toMatchObject({ email: 'cy@example.com', phone: null, metadata: { plan: 'team' }, groups: ['acme'] });
  });

  it('answers 404 for a user never evaluated, and for another project', async () => {
    expect(await api('GET', '/v3/users/nobody')).toMatchObject({ status: 404, body: { error: { code: 'USER_NOT_FOUND' } } });
    expect((await api('POST', '/v3/users/nobody/suspend')).status).toBe(404);
    expect((await api('POST', '/v3/user/nobody/update', { email: 'x@y.z' })).status).toBe(404);
    await api('POST', '/v3/evaluations', { action: 'login', user: 'mine' });
    expect((await api('GET', '/v3/users/mine', undefined, h.other.secretKey)).status).toBe(404);
    expect((await api('GET', '/v3/user/mine/devices', undefined, h.other.secretKey)).status).toBe(404);
  });
});
