import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, bearer, createHarness } from '../../test-support/harness.js';

// What the API says to a policy, list or risk override that cannot work: a 4xx naming the problem,
// and nothing stored.

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await h.inject({ method: 'POST', url: '/v3/lists', headers: bearer(h.project.secretKey), payload: { name: 'known', type: 'email' } });
});
afterAll(() => h.close());

const api = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) => {
  const res = await h.inject({ method, url, headers: bearer(h.project.secretKey), ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: res.statusCode, code: res.json()?.error?.code as string | undefined, message: res.json()?.error?.message as string | undefined };
};
const policy = (conditions: unknown, extra: Record<string, unknown> = {}) => ({ name: 'p', events: ['login'], priority: 1, conditions, action: { type: 'deny' }, ...extra });
const policyCount = async () => (await h.store.db.selectFrom('policies').select('id').execute()).length;

describe('saving a policy that cannot run', () => {
  const cases: [string, unknown, RegExp][] = [
    ['an unknown check, with a suggestion', policy({ field: 'is_new_ipp', operator: 'eq', value: true }), /conditions.*is_new_ipp.*is_new_ip/],
    ['a number operator on a boolean', policy({ field: 'is_new_ip', operator: 'gt', value: 1 }), /conditions.*gt/],
    ['a value of the wrong type', policy({ field: 'is_new_ip', operator: 'eq', value: 'yes' }), /conditions.*is_new_ip/],
    [
      'a nested bad operator, by its path',
      policy({ any: [{ field: 'is_new_ip', operator: 'eq', value: true }, { all: [{ field: 'device_count', operator: 'between', value: 3 }] }] }),
      /any\[1\]\.all\[0\]/,
    ],
    ['an unknown list', policy({ field: 'in_list:nope', operator: 'eq', value: true }), /nope/],
    ['an unknown risk', policy({ field: 'risk:fraudiness', operator: 'gte', value: 'high' }), /fraudiness/],
    ['a bad severity', policy({ field: 'risk:ato', operator: 'gte', value: 'huge' }), /huge/],
    ['event_count without a window', policy({ field: 'event_count', params: { action: 'login', by: 'ip' }, operator: 'gt', value: 3 }), /window/],
    ['a challenge without its type', policy({ field: 'is_new_ip', operator: 'eq', value: true }, { action: { type: 'challenge', challenge: {} } }), /challenge/],
    ['no name', { events: ['login'], priority: 1, conditions: { field: 'is_new_ip', operator: 'eq', value: true }, action: { type: 'deny' } }, /name/],
  ];
  for (const [what, body, message] of cases) {
    it(`refuses ${what}`, async () => {
      const before = await policyCount();
      const res = await api('POST', '/v3/policies', body);
      expect(res).toMatchObject({ status: 400, code: 'INVALID_POLICY' });
      expect(res.message).toMatch(message);
      expect(await policyCount()).toBe(before);
    });
  }

  it('refuses a bad update and keeps the version that was there', async () => {
    const created = await h.inject({
      method: 'POST',
      url: '/v3/policies',
      headers: bearer(h.project.secretKey),
      payload: policy({ field: 'is_new_ip', operator: 'eq', value: true }),
    });
    const id = created.json().id;
    expect(await api('PUT', `/v3/policies/${id}`, policy({ field: 'nope', operator: 'eq', value: true }))).toMatchObject({ status: 400, code: 'INVALID_POLICY' });
    const got = await h.inject({ method: 'GET', url: `/v3/policies/${id}`, headers: bearer(h.project.secretKey) });
    expect(got.json()).toMatchObject({ version: 1, conditions: { field: 'is_new_ip' } });
  });

  it('answers 404 for a policy that does not exist', async () => {
    expect(await api('GET', '/v3/policies/po_none')).toMatchObject({ status: 404, code: 'POLICY_NOT_FOUND' });
    expect(await api('PUT', '/v3/policies/po_none', policy({ field: 'is_new_ip', operator: 'eq', value: true }))).toMatchObject({ status: 404, code: 'POLICY_NOT_FOUND' });
    expect(await api('DELETE', '/v3/policies/po_none')).toMatchObject({ status: 404, code: 'POLICY_NOT_FOUND' });
    expect(await api('GET', '/v3/policies/po_none/versions')).toMatchObject({ status: 404, code: 'POLICY_NOT_FOUND' });
  });
});

describe('lists', () => {
  it('refuses a second list of the same name', async () => {
    expect(await api('POST', '/v3/lists', { name: 'known', type: 'ip' })).toMatchObject({ status: 409, code: 'LIST_ALREADY_EXISTS' });
  });
  it('refuses a list of an unknown type or a bad name', async () => {
    expect(await api('POST', '/v3/lists', { name: 'x', type: 'planet' })).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
    expect(await api('POST', '/v3/lists', { name: 'Has Spaces', type: 'ip' })).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
  });
  it('refuses values that are not of the list type, and adds none of a batch with one bad value', async () => {
    expect(await api('POST', '/v3/lists/known/entries', { value: 'not-an-email' })).toMatchObject({ status: 400, code: 'INVALID_LIST_VALUE' });
    expect(await api('POST', '/v3/lists/known/add', { values: ['a@x.io', 'bad'] })).toMatchObject({ status: 400, code: 'INVALID_LIST_VALUE' });
    const list = await h.inject({ method: 'GET', url: '/v3/lists/known', headers: bearer(h.project.secretKey) });
    expect(list.json().entries).toBe(0);
    expect(await api('POST', '/v3/lists/known/add', { values: Array.from({ length: 501 }, (_, i) => `u${i}@x.io`) })).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
  });
  it('refuses an expiry in the past', async () => {
    expect(await api('POST', '/v3/lists/known/entries', { value: 'a@x.io', expires_at: '2020-01-01T00:00:00Z' })).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
  });
  it('answers 404 for a list that does not exist', async () => {
    expect(await api('GET', '/v3/lists/none')).toMatchObject({ status: 404, code: 'LIST_NOT_FOUND' });
    expect(await api('POST', '/v3/lists/none/add', { value: 'x' })).toMatchObject({ status: 404, code: 'LIST_NOT_FOUND' });
  });
});

describe('risk overrides', () => {
  it('refuses thresholds that do not increase, unknown checks and incomplete custom risks', async () => {
    expect(await api('PUT', '/v3/risks', { ato: { thresholds: { medium: 50, high: 40, maximum: 90 } } })).toMatchObject({ status: 400, code: 'INVALID_RISKS' });
    expect(await api('PUT', '/v3/risks', { ato: { rules: [{ check: 'is_new_ipp', weight: 10 }] } })).toMatchObject({ status: 400, code: 'INVALID_RISKS' });
    expect(await api('PUT', '/v3/risks', { my_risk: { rules: [{ check: 'is_new_ip', weight: 10 }] } })).toMatchObject({ status: 400, code: 'INVALID_RISKS' });
    const risks = await h.inject({ method: 'GET', url: '/v3/risks', headers: bearer(h.project.secretKey) });
    expect(risks.json().overrides).toEqual({});
  });
});
