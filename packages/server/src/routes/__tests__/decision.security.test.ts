import { afterAll, beforeAll, describe } from 'vitest';
import { type Harness, createHarness } from '../../test-support/harness.js';
import { serverRouteSecurityCases } from '../../test-support/security-cases.js';

// The shared security cases (no key, malformed header, wrong key, client id as key, bad JSON, oversize
// body) on every route the decision core added.
let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());
const setup = () => ({ h, evaluationId: 'ev_none' });

const policy = { name: 'p', events: ['login'], priority: 1, conditions: { field: 'is_new_ip', operator: 'eq', value: true }, action: { type: 'deny' } };
const routes = [
  { method: 'GET', url: () => '/v3/checks' },
  { method: 'GET', url: () => '/v3/policies' },
  { method: 'POST', url: () => '/v3/policies', payload: policy },
  { method: 'GET', url: () => '/v3/policies/po_none' },
  { method: 'PUT', url: () => '/v3/policies/po_none', payload: policy },
  { method: 'DELETE', url: () => '/v3/policies/po_none' },
  { method: 'GET', url: () => '/v3/policies/po_none/versions' },
  { method: 'GET', url: () => '/v3/lists', productionOnly: true },
  { method: 'POST', url: () => '/v3/lists', payload: { name: 'blocked', type: 'ip' }, productionOnly: true },
  { method: 'GET', url: () => '/v3/lists/li_none', productionOnly: true },
  { method: 'POST', url: () => '/v3/lists/li_none/entries', payload: { value: '203.0.113.7' }, productionOnly: true },
  { method: 'DELETE', url: () => '/v3/lists/li_none/entries/x', productionOnly: true },
  { method: 'POST', url: () => '/v3/lists/li_none/add', payload: { values: ['203.0.113.7'] }, productionOnly: true },
  { method: 'POST', url: () => '/v3/lists/li_none/remove', payload: { value: '203.0.113.7' }, productionOnly: true },
  { method: 'GET', url: () => '/v3/risks', productionOnly: true },
  { method: 'PUT', url: () => '/v3/risks', payload: {}, productionOnly: true },
  { method: 'GET', url: () => '/v3/challenges/ch_none' },
  { method: 'POST', url: () => '/v3/policies/po_none/enable', payload: {} },
  { method: 'POST', url: () => '/v3/policies/po_none/disable', payload: {} },
  { method: 'POST', url: () => '/v3/policies/test', payload: { policy, days: 7 } },
  { method: 'GET', url: () => '/v3/users/someone', productionOnly: true },
  { method: 'POST', url: () => '/v3/users/someone/suspend', payload: {}, productionOnly: true },
  { method: 'POST', url: () => '/v3/users/someone/unsuspend', payload: {}, productionOnly: true },
  { method: 'GET', url: () => '/v3/user/someone/devices', productionOnly: true },
  { method: 'POST', url: () => '/v3/user/someone/update', payload: { email: 'a@b.c' }, productionOnly: true },
  { method: 'DELETE', url: () => '/v3/users/someone', productionOnly: true },
  { method: 'POST', url: () => '/v3/challenges/ch_none/send', payload: {} },
  { method: 'POST', url: () => '/v3/challenges/ch_none/verify', payload: { code: '123456' } },
  { method: 'POST', url: () => '/v3/challenges/ch_none/complete', payload: {} },
  { method: 'GET', url: () => '/v3/webhook', productionOnly: true },
  { method: 'PUT', url: () => '/v3/webhook', payload: { url: 'https://example.com/hooks' }, productionOnly: true },
  { method: 'DELETE', url: () => '/v3/webhook', productionOnly: true },
  { method: 'GET', url: () => '/v3/webhook/deliveries', productionOnly: true },
  { method: 'POST', url: () => '/v2/devices/evaluate', payload: { action: 'login', user: 'alice' } },
  { method: 'POST', url: () => '/v2/challenges/ch_none/send', payload: {} },
  { method: 'POST', url: () => '/v2/challenges/ch_none/verify', payload: { code: '123456' } },
  { method: 'POST', url: () => '/v2/challenges/ch_none/complete', payload: {} },
  { method: 'GET', url: () => '/v3/settings/mail', productionOnly: true },
  { method: 'PUT', url: () => '/v3/settings/mail', payload: { smtp_url: 'smtp://127.0.0.1:2525', mail_from: 'a@example.com' }, productionOnly: true },
  { method: 'DELETE', url: () => '/v3/settings/mail', productionOnly: true },
  { method: 'POST', url: () => '/v3/settings/mail/test', payload: { to: 'a@example.com' }, productionOnly: true },
  { method: 'GET', url: () => '/v3/settings/retention', productionOnly: true },
  { method: 'POST', url: () => '/v3/policies/reorder', payload: { order: ['po_x'] } },
  { method: 'PUT', url: () => '/v3/settings/retention', payload: { days: 30 }, productionOnly: true },
] as const;

for (const route of routes) {
  describe(`${route.method} ${route.url()}`, () => {
    serverRouteSecurityCases({ ...route, ...('payload' in route ? { payload: { ...route.payload } } : {}) }, setup);
  });
}
