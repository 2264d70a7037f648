import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.js';
import { type ShopWithVigil, startShopWithVigil } from './support/shop.js';

// The decision end to end: an operator writes a list and policies through the server API of a real
// Vigil process; people log in to the example shop in Chromium; the verdicts obey the policies, the shop
// refuses what Vigil denied, and the evaluation explains which policy decided and why.

let vigil: ShopWithVigil['vigil'];
let shopUrl: string;
let project: { id: string; client_id: string; secret_key: string };
let browser: Browser;
let context: BrowserContext;

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${vigil.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${project.secret_key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
};

let setup: ShopWithVigil;
beforeAll(async () => {
  setup = await startShopWithVigil('decision');
  ({ vigil, shopUrl, project } = setup);
  browser = await launchChromium();
  context = await browser.newContext();
});

afterAll(async () => {
  await browser?.close();
  await setup?.stop();
});

async function logIn(user: string, password: string): Promise<{ status: string; evaluationId: string }> {
  const page: Page = await context.newPage();
  await page.goto(shopUrl);
  const evaluated = page.waitForResponse((r) => r.url().endsWith('/v3/client/evaluate'));
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  const evaluationId = (await (await evaluated).json()).evaluation_id;
  await expect.poll(() => page.getByRole('status').textContent(), { timeout: 15_000 }).not.toBe('Checking…');
  const status = (await page.getByRole('status').textContent()) ?? '';
  await page.close();
  return { status, evaluationId };
}

describe('policies decide logins in the example shop', () => {
  it('lets the operator write a list and policies, validated when saved', async () => {
    expect((await api('POST', '/v3/lists', { name: 'banned_users', type: 'user' })).status).toBe(201);
    expect((await api('POST', '/v3/lists/banned_users/add', { values: ['bob'] })).body).toEqual({ added: 1, total: 1 });
    const bad = await api('POST', '/v3/policies', {
      name: 'typo',
      events: ['login'],
      priority: 1,
      conditions: { field: 'in_list:baned_users', operator: 'eq', value: true },
      action: { type: 'deny' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_POLICY');
    const banned = await api('POST', '/v3/policies', {
      name: 'Deny banned users',
      events: ['login'],
      priority: 1,
      conditions: { field: 'in_list:banned_users', operator: 'eq', value: true },
      action: { type: 'deny' },
    });
    expect(banned.status).toBe(201);
    const velocity = await api('POST', '/v3/policies', {
      name: 'Slow down repeated logins',
      events: ['login'],
      priority: 2,
      conditions: { field: 'event_count', params: { action: 'login', window: '10m', by: 'device' }, operator: 'gt', value: 2 },
      action: { type: 'deny' },
    });
    expect(velocity.status).toBe(201);
  });

  it('logs alice in, and refuses bob, whom the list bans, with the reason in the evaluation', async () => {
    expect((await logIn('alice', 'wonderland')).status).toBe('Welcome, alice!');
    const bob = await logIn('bob', 'builder');
    expect(bob.status).toBe('Login refused: evaluation not accepted');
    const evaluation = (await api('GET', `/v3/evaluations/${bob.evaluationId}`)).body;
    expect(evaluation).toMatchObject({
      verdict: 'deny',
      checks: { 'in_list:banned_users': true },
      policy: { name: 'Deny banned users', version: 1, trace: { node: 'in_list:banned_users', status: 'matched' } },
    });
  });

  it('denies the third login from one browser within ten minutes (event_count by device)', async () => {
    const third = await logIn('alice', 'wonderland');
    expect(third.status).toBe('Login refused: evaluation not accepted');
    const evaluation = (await api('GET', `/v3/evaluations/${third.evaluationId}`)).body;
    expect(evaluation.policy).toMatchObject({ name: 'Slow down repeated logins', trace: { node: 'event_count', status: 'matched', actual: 3 } });
    // Another browser (another profile: time zone and language, so another fingerprint) is another
    // device: its first login goes through. A fresh context with the same fingerprint would be re-linked
    // to the same device, as a browser whose storage was cleared is.
    const other = await browser.newContext({ timezoneId: 'America/New_York', locale: 'en-US' });
    const page = await other.newPage();
    await page.goto(shopUrl);
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill('wonderland');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 15_000 }).toBe('Welcome, alice!');
    await other.close();
  });
});
