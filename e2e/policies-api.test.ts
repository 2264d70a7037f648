import { readFileSync } from 'node:fs';
import { VigilAPI } from '@vigil/api';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.js';
import { type ShopWithVigil, startShopWithVigil } from './support/shop.js';

// Issue 4's end-to-end proof: an operator's policies, written through @vigil/api against a real Vigil
// process with its real reference data, decide evaluations made by a backend (POST /v3/evaluations)
// and by the browser SDK in Chromium: deny for a Tor exit, challenge on impossible travel, suspend and
// then is_suspended, deny for a listed user.

const torExit = readFileSync(new URL('../packages/intel/data/ip/tor/tor_exit_nodes_2024-02-27.lst', import.meta.url), 'utf8')
  .split('\n')[0]!
  .trim();
const OSLO = '84.208.1.1';
const SYDNEY = '1.1.1.1';

let setup: ShopWithVigil;
let vigil: ShopWithVigil['vigil'];
let shopUrl: string;
let api: VigilAPI;
let browser: Browser;

beforeAll(async () => {
  setup = await startShopWithVigil('policies');
  ({ vigil, shopUrl } = setup);
  api = new VigilAPI(setup.project.secret_key, { baseUrl: vigil.url });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await setup?.stop();
});

describe('policies written through @vigil/api decide evaluations', () => {
  it('writes the policies and a list, and refuses one that cannot run', async () => {
    await api.lists.create({ name: 'banned_users', type: 'user' });
    await api.policies.create({
      name: 'Deny suspended users',
      events: ['*'],
      priority: 0,
      conditions: { field: 'is_suspended', operator: 'eq', value: true },
      action: { type: 'deny' },
    });
    await api.policies.create({
      name: 'Deny Tor',
      events: ['login', 'signup'],
      priority: 1,
      conditions: { field: 'ip_is_tor', operator: 'eq', value: true },
      action: { type: 'deny' },
    });
    await api.policies.create({
      name: 'Challenge impossible travel',
      events: ['login'],
      priority: 2,
      conditions: { field: 'impossible_travel', operator: 'eq', value: true },
      action: { type: 'challenge', challenge: { type: 'verification', channels: ['email'], success_url: 'https://shop.example/welcome' } },
    });
    await api.policies.create({
      name: 'Suspend chargebacks',
      events: ['checkout'],
      priority: 3,
      conditions: { field: 'metadata.chargeback', operator: 'eq', value: true },
      action: { type: 'suspend' },
    });
    await api.policies.create({
      name: 'Deny banned users',
      events: ['login'],
      priority: 4,
      conditions: { field: 'in_list:banned_users', operator: 'eq', value: true },
      action: { type: 'deny' },
    });
    const refused = await api.policies
      .create({ name: 'typo', events: ['login'], priority: 9, conditions: { field: 'ip_is_torr', operator: 'eq', value: true }, action: { type: 'deny' } })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: 'VigilError', code: 'INVALID_POLICY', status: 400 });
    expect((await api.policies.list()).map((p) => p.name)).toEqual(['Deny suspended users', 'Deny Tor', 'Challenge impossible travel', 'Suspend chargebacks', 'Deny banned users']);
  });

  it('denies a login from a Tor exit, and shows why', async () => {
    const evaluation = await api.evaluations.create({ action: 'login', user: 'mallory', ip: torExit });
    expect(evaluation).toMatchObject({ verdict: 'deny', checks: { ip_is_tor: true }, policy: { name: 'Deny Tor' }, ip_info: { type: 'tor', sources: ['tor_exits'] } });
  });

  it('challenges a login from Sydney right after one from Oslo (impossible travel)', async () => {
    const home = await api.evaluations.create({ action: 'login', user: 'alice', ip: OSLO });
    expect(home.verdict).toBe('allow');
    const away = await api.evaluations.create({ action: 'login', user: 'alice', ip: SYDNEY });
    expect(away.checks).toMatchObject({ impossible_travel: true, country_change: true });
    expect(away.checks.travel_distance_km).toBeGreaterThan(15_000);
    expect(away).toMatchObject({ verdict: 'challenge', policy: { name: 'Challenge impossible travel' }, challenge: { status: 'created', channels: ['email'] } });
    expect(away.redirect).toMatch(new RegExp(`^${vigil.url}/challenge/ch_`));
    expect(away.risk_summary).toContainEqual({ category: 'ato', severity: expect.stringMatching(/high|maximum/) });
  });

  it('suspends on a chargeback, and the user stays suspended', async () => {
    expect((await api.evaluations.create({ action: 'checkout', user: 'bob', ip: OSLO, metadata: { chargeback: true } })).verdict).toBe('suspend');
    expect((await api.users.get('bob')).is_suspended).toBe(true);
    const next = await api.evaluations.create({ action: 'login', user: 'bob', ip: OSLO });
    expect(next).toMatchObject({ verdict: 'deny', checks: { is_suspended: true }, policy: { name: 'Deny suspended users' } });
    await api.users.unsuspend('bob');
    expect((await api.evaluations.create({ action: 'login', user: 'bob', ip: OSLO })).verdict).toBe('allow');
  });

  it('refuses a banned user at the browser login, and lets the others in', async () => {
    await api.lists.add('banned_users', ['bob']);
    const context = await browser.newContext();
    const login = async (user: string, password: string) => {
      const page = await context.newPage();
      await page.goto(shopUrl);
      await page.getByLabel('Username').fill(user);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await expect.poll(() => page.getByRole('status').textContent(), { timeout: 15_000 }).not.toBe('Checking…');
      const status = await page.getByRole('status').textContent();
      await page.close();
      return status;
    };
    expect(await login('alice', 'wonderland')).toBe('Welcome, alice!');
    expect(await login('bob', 'builder')).toBe('Login refused: evaluation not accepted');
    await context.close();
  });
});
