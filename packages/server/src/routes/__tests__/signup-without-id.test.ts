import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, type TestDialect, bearer, browserEvaluate, createHarness } from '../../test-support/harness.js';

// A signup before the account has an id (Rupt: "the signup user has no ID yet"): the evaluation keys the
// new identity by its email or phone, the backend gives it its id on consume, and its history follows.
describe.each(['sqlite', 'postgres'] as TestDialect[])('a signup without a user id on %s', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({ dialect });
  });
  afterEach(() => h.close());

  const api = async (method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const res = await h.inject({ method, url, headers: bearer(h.project.secretKey), ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };

  it('evaluates it by email, takes the id on consume, and the history follows the user', async () => {
    const { res, deviceCookie } = await browserEvaluate(h, { action: 'signup', email: 'New.Person@Example.com', signals: { fingerprint: 'f1' } });
    expect(res.statusCode, res.body).toBe(200);
    const signup = (await api('GET', `/v3/evaluations/${res.json().evaluation_id}`)).body;
    expect(signup).toMatchObject({ action: 'signup', user: { id: null, email: 'New.Person@Example.com' }, checks: { is_new_user: true } });

    // A second try from the same browser (a typo elsewhere in the form) is the same identity.
    const retry = await h.inject({
      method: 'POST',
      url: '/v3/client/evaluate',
      payload: { client_id: h.project.clientId, action: 'signup', email: 'new.person@example.com', signals: { fingerprint: 'f1' } },
      headers: { cookie: `vigil_did=${deviceCookie}` },
    });
    const again = (await api('GET', `/v3/evaluations/${retry.json().evaluation_id}`)).body;
    expect(again).toMatchObject({ user: { id: null, vigil_id: signup.user.vigil_id }, checks: { is_new_user: false } });
    // Another browser typing the same address is an identity of its own: it never becomes a known device
    // of the account the owner makes.
    const { res: elsewhere } = await browserEvaluate(h, { action: 'signup', email: 'new.person@example.com', signals: { fingerprint: 'f2' } });
    const intruder = (await api('GET', `/v3/evaluations/${elsewhere.json().evaluation_id}`)).body;
    expect(intruder.user.vigil_id).not.toBe(signup.user.vigil_id);

    const consumed = await api('POST', `/v3/evaluations/${signup.id}/consume`, { user: 'u_1001' });
    expect(consumed).toMatchObject({ status: 200, body: { consumed: true, user: { id: 'u_1001', vigil_id: signup.user.vigil_id } } });
    expect((await api('GET', `/v3/evaluations/${again.id}`)).body.user.id).toBe('u_1001');
    expect((await api('GET', '/v3/users/u_1001')).status).toBe(200);

    // The first login under the new id, from the browser that signed up, knows the user, device and fingerprint.
    const login = await h.inject({
      method: 'POST',
      url: '/v3/client/evaluate',
      payload: { client_id: h.project.clientId, action: 'login', user: 'u_1001', signals: { fingerprint: 'f1' } },
      headers: { cookie: `vigil_did=${deviceCookie}` },
    });
    const known = (await api('GET', `/v3/evaluations/${login.json().evaluation_id}`)).body;
    expect(known).toMatchObject({ user: { id: 'u_1001', vigil_id: signup.user.vigil_id }, checks: { is_new_user: false, is_new_device: false, is_new_fingerprint: false } });
  });

  it('keys it by phone when there is no email, and refuses a signup with neither, or another action without a user', async () => {
    const byPhone = (await api('POST', '/v3/evaluations', { action: 'signup', phone: '+47 912 34 567' })).body;
    expect(byPhone.user).toMatchObject({ id: null, phone: '+47 912 34 567' });
    expect((await api('POST', '/v3/evaluations', { action: 'signup', phone: '+4791234567' })).body.user.vigil_id).toBe(byPhone.user.vigil_id);
    expect(await api('POST', '/v3/evaluations', { action: 'signup' })).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_ERROR', message: expect.stringMatching(/email or body\.phone/) } },
    });
    expect(await api('POST', '/v3/evaluations', { action: 'login', email: 'a@example.com' })).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_ERROR', message: expect.stringMatching(/body\.user is required/) } },
    });
    const { res } = await browserEvaluate(h, { action: 'checkout' });
    expect(res.statusCode).toBe(400);
    // No application id can take the name Vigil gives a pending identity.
    expect((await api('POST', '/v3/evaluations', { action: 'login', user: '~email:a@example.com' })).status).toBe(400);
  });

  it('never merges identities and never renames another user: refused, and the evaluation stays unconsumed', async () => {
    await api('POST', '/v3/evaluations', { action: 'login', user: 'taken' });
    const signup = (await api('POST', '/v3/evaluations', { action: 'signup', email: 'x@example.com' })).body;
    expect(await api('POST', `/v3/evaluations/${signup.id}/consume`, { user: 'taken' })).toMatchObject({ status: 409, body: { error: { code: 'USER_ALREADY_EXISTS' } } });
    const login = (await api('POST', '/v3/evaluations', { action: 'login', user: 'alice' })).body;
    expect(await api('POST', `/v3/evaluations/${login.id}/consume`, { user: 'mallory' })).toMatchObject({ status: 409, body: { error: { code: 'USER_MISMATCH' } } });
    expect((await api('GET', `/v3/evaluations/${signup.id}`)).body.consumed).toBe(false);
    expect((await api('GET', `/v3/evaluations/${login.id}`)).body.consumed).toBe(false);
    // The right user is fine, and so is a bare consume.
    expect((await api('POST', `/v3/evaluations/${login.id}/consume`, { user: 'alice' })).status).toBe(200);
    expect((await api('POST', `/v3/evaluations/${signup.id}/consume`)).body).toMatchObject({ consumed: true, user: { id: null } });
  });
});
