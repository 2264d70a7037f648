import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { VigilAPI } from '@vigil/api';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.js';
import { shows } from './support/page-text.js';
import { type RunningVigil, runVigil, startVigil } from './support/vigil-process.js';

// The dashboard in Chromium against a real Vigil process: the operator from VIGIL_ADMIN_* logs in,
// sees the empty state, then the evaluations a backend made through the public API (overview, list,
// filter, detail with the policy trace); without a session the API answers 401. A second instance,
// without VIGIL_ADMIN_*, prints a setup link that creates the first operator once.
const torExit = readFileSync(new URL('../packages/intel/data/ip/tor/tor_exit_nodes_2024-02-27.lst', import.meta.url), 'utf8').split('\n')[0]!.trim();
const ADMIN = { email: 'ops@shop.example', password: 'a long operator passphrase' };

let dataDir: string;
let vigil: RunningVigil;
let browser: Browser;
let api: VigilAPI;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'vigil-dashboard-'));
  const created = await runVigil(['project', 'create', '--name', 'Example shop', '--json'], { VIGIL_DATA_DIR: dataDir });
  expect(created.code, created.stderr).toBe(0);
  const project = JSON.parse(created.stdout);
  vigil = await startVigil({ VIGIL_DATA_DIR: dataDir, VIGIL_ADMIN_EMAIL: ADMIN.email, VIGIL_ADMIN_PASSWORD: ADMIN.password });
  api = new VigilAPI(project.secret_key, { baseUrl: vigil.url });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await vigil?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function logIn(page: Page, password = ADMIN.password) {
  await page.goto(`${vigil.url}/dashboard/`);
  await page.waitForURL(`${vigil.url}/dashboard/login`);
  await page.locator('input[name="email"]').fill(ADMIN.email);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

describe('the dashboard', () => {
  it('refuses a wrong password and the API without a session, and never prints the admin password', async () => {
    const page = await browser.newPage();
    await logIn(page, 'not the passphrase');
    await shows(page.getByRole('alert'), 'Wrong email or password.');
    const res = await fetch(`${vigil.url}/dashboard/api/session`);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('NOT_LOGGED_IN');
    expect(vigil.output()).not.toContain(ADMIN.password);
    expect(vigil.output()).not.toContain('/dashboard/setup');
    await page.close();
  });

  it('logs the operator in to an empty project that says what to do first', async () => {
    const page = await browser.newPage();
    await logIn(page);
    await page.waitForURL(/\/dashboard\/p\/pr_[^/]+\/$/);
    await shows(page.getByRole('heading', { level: 3 }), 'No evaluations yet');
    expect(await page.locator('pre').textContent()).toContain('/sdk/vigil.js');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'vigil_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/dashboard' });
    await page.close();
  });

  it('shows the evaluations a backend made: overview, list, filter, and the whole explanation', async () => {
    await api.policies.create({ name: 'Deny Tor', events: ['login'], priority: 1, conditions: { field: 'ip_is_tor', operator: 'eq', value: true }, action: { type: 'deny' } });
    for (const user of ['alice', 'bob', 'carol']) await api.evaluate({ action: 'login', user, ip: '84.208.1.1' });
    await api.evaluate({ action: 'login', user: 'mallory', ip: torExit });
    await api.evaluate({ action: 'signup', user: 'dave', email: 'dave@example.com' });

    const page = await browser.newPage();
    await logIn(page);
    await shows(page.getByTestId('total'), '5');
    await page.getByRole('link', { name: 'Evaluations', exact: true }).click();
    await expect.poll(() => page.locator('table.list tbody tr').count(), { timeout: 15_000 }).toBe(5);

    await page.getByLabel('Verdict').selectOption('deny');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/evaluations\?verdict=deny$/);
    await expect.poll(() => page.locator('table.list tbody tr').count(), { timeout: 15_000 }).toBe(1);
    await shows(page.locator('table.list tbody tr td').nth(2), 'mallory');

    await page.locator('table.list tbody tr a').first().click();
    await shows(page.getByRole('heading', { level: 1 }), /login by mallory\s*deny/);
    await shows(page.locator('.trace.matched > .node').first(), /ip_is_tor eq true/);
    expect(await page.locator('.checks').textContent()).toContain('ip_is_tor');
    await page.goBack();
    await page.waitForURL(/evaluations\?verdict=deny$/);
    await page.close();
  });
});

describe('the first operator, from the setup link', () => {
  it('prints a link that creates the first operator once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-setup-'));
    const fresh = await startVigil({ VIGIL_DATA_DIR: dir });
    try {
      const link = /(http:\/\/\S+\/dashboard\/setup\?token=\S+)/.exec(fresh.output())?.[1];
      expect(link).toBeDefined();
      const page = await browser.newPage();
      expect((await page.goto(`${fresh.url}/dashboard/setup?token=forged`))?.status()).toBe(403);
      await page.goto(link!);
      await page.locator('input[name="email"]').fill('first@shop.example');
      // The browser's own check (minlength) is switched off, to see the server's.
      await page.locator('form').evaluate((form) => ((form as HTMLFormElement).noValidate = true));
      await page.locator('input[name="password"]').fill('short');
      await page.getByRole('button', { name: 'Create and log in' }).click();
      await shows(page.getByRole('alert'), 'Use a password of 12 characters or more.');
      await page.locator('input[name="password"]').fill('a proper long passphrase');
      await page.getByRole('button', { name: 'Create and log in' }).click();
      await page.waitForURL(/\/dashboard\/p\/pr_/);
      await shows(page.getByRole('heading', { level: 1 }), 'Overview');
      // Once an operator exists the link is spent.
      expect((await page.goto(link!))?.status()).toBe(403);
      await page.close();
    } finally {
      await fresh.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
