import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { VigilAPI } from '@vigil/api';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.js';
import { shows } from './support/page-text.js';
import { snap } from './support/screenshots.js';
import { type RunningVigil, runVigil, startVigil } from './support/vigil-process.js';

// The dashboard in Chromium against a real Vigil process: the operator from VIGIL_ADMIN_* logs in,
// sees the empty state, then the evaluations a backend made through the public API (overview, list,
// filter, detail with the policy trace); without a session the API answers 401. A second instance,
// without VIGIL_ADMIN_*, prints a setup link that creates the first operator once.
const torExit = readFileSync(new URL('../packages/intel/data/ip/tor/tor_exit_nodes_2024-02-27.lst', import.meta.url), 'utf8')
  .split('\n')[0]!
  .trim();
const ADMIN = { email: 'ops@shop.example', password: 'a long operator passphrase' };

let dataDir: string;
let vigil: RunningVigil;
let browser: Browser;
let api: VigilAPI;
let clientId: string;
let secretKey: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'vigil-dashboard-'));
  const created = await runVigil(['project', 'create', '--name', 'Example shop', '--json'], { VIGIL_DATA_DIR: dataDir });
  expect(created.code, created.stderr).toBe(0);
  const project = JSON.parse(created.stdout);
  vigil = await startVigil({ VIGIL_DATA_DIR: dataDir, VIGIL_ADMIN_EMAIL: ADMIN.email, VIGIL_ADMIN_PASSWORD: ADMIN.password });
  secretKey = project.secret_key;
  api = new VigilAPI(secretKey, { baseUrl: vigil.url });
  clientId = project.client_id;
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
    await snap(page, 'dashboard-0-empty');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'vigil_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    await page.close();
  });

  it('shows the evaluations a backend made: overview, list, filter, and the whole explanation', async () => {
    await api.policies.create({ name: 'Deny Tor', events: ['login'], priority: 1, conditions: { field: 'ip_is_tor', operator: 'eq', value: true }, action: { type: 'deny' } });
    for (const user of ['alice', 'bob', 'carol']) await api.evaluate({ action: 'login', user, ip: '84.208.1.1' });
    await api.evaluate({ action: 'login', user: 'mallory', ip: torExit });
    await api.evaluate({ action: 'signup', user: 'dave', email: 'dave@mailinator.com' }); // a disposable address: fake_account above low

    const page = await browser.newPage();
    await logIn(page);
    await shows(page.getByTestId('total'), '5');
    await snap(page, 'dashboard-1-overview');
    await page.getByRole('link', { name: 'Evaluations', exact: true }).click();
    await expect.poll(() => page.locator('table.list tbody tr').count(), { timeout: 15_000 }).toBe(5);
    await snap(page, 'dashboard-2-evaluations');

    await page.getByLabel('Verdict').selectOption('deny');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/evaluations\?verdict=deny$/);
    await expect.poll(() => page.locator('table.list tbody tr').count(), { timeout: 15_000 }).toBe(1);
    await shows(page.locator('table.list tbody tr td').nth(2), 'mallory');

    // By risk: a risk some of the evaluations carry above low (found through the API) lists exactly those.
    const projectId = /\/p\/(pr_[^/]+)\//.exec(page.url())![1]!;
    const all: { id: string; risks: { category: string }[] }[] = await page.evaluate(
      async (p) => (await (await fetch(`/dashboard/api/projects/${p}/evaluations`)).json()).data,
      projectId,
    );
    const risky = all.flatMap((e) => e.risks.map((r) => r.category));
    expect(risky.length).toBeGreaterThan(0);
    const category = risky[0]!;
    const carrying = all.filter((e) => e.risks.some((r) => r.category === category)).length;
    expect(carrying).toBeLessThan(all.length);
    await page.getByLabel('Verdict').selectOption('');
    await page.getByLabel('Risk').selectOption(category);
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(new RegExp(`evaluations\\?risk=${category}$`));
    await expect.poll(() => page.locator('table.list tbody tr').count(), { timeout: 15_000 }).toBe(carrying);
    await page.goBack();
    await page.waitForURL(/evaluations\?verdict=deny$/);

    await page.locator('table.list tbody tr a').first().click();
    await shows(page.getByRole('heading', { level: 1 }), /login by mallory\s*deny/);
    await shows(page.locator('.trace.matched > .node').first(), /ip_is_tor eq true/);
    expect(await page.locator('.checks').textContent()).toContain('ip_is_tor');
    // mallory was denied: nothing was learned of them, and the familiarity panel says so.
    const familiarity = page.locator('.card').filter({ has: page.getByRole('heading', { name: 'Familiarity', exact: true }) });
    await shows(familiarity.getByRole('status'), /^No trusted login learned yet: familiarity checks are absent until one is\./);
    await snap(page, 'dashboard-3-evaluation');
    await page.goBack();
    await page.waitForURL(/evaluations\?verdict=deny$/);
    await page.close();
  });
});

describe('familiarity on the evaluation page', () => {
  it('shows what the ato risk compared a login with: its familiarity, and the networks and browsers the user is known by', async () => {
    // judy logs in twice from one place and browser (Sydney, outside the Norway policy below): the first
    // is learned, the second is measured against it.
    const ua = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
    await api.evaluate({ action: 'login', user: 'judy', ip: '139.130.4.5', user_agent: ua });
    const second = await api.evaluate({ action: 'login', user: 'judy', ip: '139.130.4.5', user_agent: ua });
    expect(second.checks).toMatchObject({ trusted_login_count: 1, asn_is_new: false, network_familiarity: 1 });
    const ipInfo = second.ip_info as { asn: number; as_org: string };

    const page = await browser.newPage();
    await logIn(page);
    await page.waitForURL(/\/dashboard\/p\/(pr_[^/]+)\//);
    const projectId = /\/p\/(pr_[^/]+)\//.exec(page.url())![1]!;
    await page.goto(`${vigil.url}/dashboard/p/${projectId}/evaluations/${second.id}`);
    await shows(page.getByRole('heading', { level: 1 }), /login by judy\s*allow/);
    const panel = page.locator('.card').filter({ has: page.getByRole('heading', { name: 'Familiarity', exact: true }) });
    await shows(panel.locator('p').first(), /compared with the user's 1 trusted login then/);
    expect(await panel.getByRole('meter', { name: 'network familiarity' }).getAttribute('aria-valuenow')).toBe('100');
    expect(await panel.getByRole('meter', { name: 'browser familiarity' }).getAttribute('aria-valuenow')).toBe('100');
    expect(await panel.getByRole('list', { name: 'New for this login' }).textContent()).toMatch(/provider \(AS\)\s*familiar/);
    // The familiar set now: the network (its AS and organisation) and the browser marked as this login's.
    // Its counts are visits: the two logins seconds apart are one visit, learned once (docs/ato.md).
    const networks = panel.getByRole('table', { name: 'Known networks' });
    const provider = networks.locator('tbody tr').first();
    await shows(provider.locator('td').nth(1), `AS${ipInfo.asn} · ${ipInfo.as_org} this login`);
    expect(await provider.getAttribute('class')).toBe('this');
    expect(await provider.locator('td.num').textContent()).toBe('1');
    expect(
      await networks
        .locator('tr.this')
        .filter({ hasText: /^country/ })
        .locator('td')
        .nth(1)
        .textContent(),
    ).toBe('AU this login');
    const browsers = panel.getByRole('table', { name: 'Known browsers' });
    const browserRow = browsers.locator('tr.this').first();
    await shows(browserRow.locator('td').nth(1), 'Chrome this login');
    expect(await browserRow.locator('td.num').textContent()).toBe('1');
    expect(await browsers.locator('tr.this').filter({ hasText: /^OS/ }).locator('td').nth(1).textContent()).toBe('Windows this login');
    await page.close();
  });
});

describe('steering from the dashboard', () => {
  it('writes a policy over the check registry, tests it on past data, enables it, and the next evaluation obeys it', async () => {
    const page = await browser.newPage();
    await logIn(page);
    await page.getByRole('link', { name: 'Policies' }).click();
    await shows(page.getByRole('heading', { level: 1 }), 'Policies');
    await page.getByLabel('Name').fill('Deny Norway');
    await page.getByLabel('Events').fill('login');
    // A string check gets a text value; eq.
    await page.getByLabel('Check').selectOption('ip_country');
    await expect.poll(async () => (await page.getByLabel('Operator').locator('option').allTextContents()).join(',')).toBe('eq,neq,in');
    await page.getByLabel('Value').fill('NO');
    await page.getByRole('button', { name: 'Test against the last 7 days' }).click();
    // alice, bob and carol logged in from Oslo (above), and were allowed: all three would now be denied.
    await shows(page.locator('.tested'), /\d+ evaluated, 3 would match, 3 would change verdict/);
    await snap(page, 'dashboard-4-policy-editor');
    await page.getByRole('button', { name: 'Save disabled' }).click();
    await shows(page.locator('table.list'), /Deny Norway/);
    expect((await api.evaluate({ action: 'login', user: 'bob', ip: '84.208.1.1' })).verdict).toBe('allow');
    await page.getByRole('button', { name: 'Enable Deny Norway' }).click();
    await shows(page.getByRole('button', { name: 'Disable Deny Norway' }), 'Disable');
    const obeyed = await api.evaluate({ action: 'login', user: 'bob', ip: '84.208.1.1' });
    expect(obeyed).toMatchObject({ verdict: 'deny', policy: { name: 'Deny Norway' } });
    // Drag "Deny Norway" above "Deny Tor": the order the policies run in is saved at once.
    const names = async () => (await api.policies.list()).map((p: { name: string }) => p.name);
    expect(await names()).toEqual(['Deny Tor', 'Deny Norway']);
    await page.locator('table.list tbody tr', { hasText: 'Deny Norway' }).dragTo(page.locator('table.list tbody tr', { hasText: 'Deny Tor' }));
    await expect.poll(names, { timeout: 15_000 }).toEqual(['Deny Norway', 'Deny Tor']);
    await shows(page.locator('table.list tbody tr').first(), /Deny Norway/);
    // The arrows do the same without a mouse.
    await page.getByRole('button', { name: 'Move Deny Norway down' }).click();
    await expect.poll(names, { timeout: 15_000 }).toEqual(['Deny Tor', 'Deny Norway']);
    await page.close();
  });

  it('opens a user from an evaluation, with devices and places, and suspends and lifts them', async () => {
    const page = await browser.newPage();
    await logIn(page);
    await page.getByRole('link', { name: 'Evaluations', exact: true }).click();
    await page.getByLabel('User').fill('mallory');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/evaluations\?user=mallory$/);
    await page.locator('table.list tbody tr a').first().click();
    await page.getByRole('link', { name: 'mallory' }).click();
    await page.waitForURL(/users\?user=mallory$/);
    await shows(page.getByRole('heading', { level: 2 }).first(), 'mallory');
    await shows(page.locator('.card').filter({ hasText: 'Places' }).locator('td').first(), new RegExp(torExit.replaceAll('.', '\\.')));
    await snap(page, 'dashboard-7-user');
    await page.getByRole('button', { name: 'Suspend' }).click();
    await shows(page.getByRole('button', { name: 'Lift the suspension' }), 'Lift the suspension');
    expect((await api.users.get('mallory')).is_suspended).toBe(true);
    await page.getByRole('button', { name: 'Lift the suspension' }).click();
    await shows(page.getByRole('button', { name: 'Suspend' }), 'Suspend');
    expect((await api.users.get('mallory')).is_suspended).toBe(false);
    await page.close();
  });

  it('lists challenges with who, why and how they ended, filtered by status', async () => {
    await api.policies.create({
      name: 'Verify signups',
      events: ['signup'],
      priority: 0,
      conditions: { field: 'action', operator: 'eq', value: 'signup' },
      action: { type: 'challenge', challenge: { type: 'verification', channels: ['email'] } },
    });
    const challenged = await api.evaluate({ action: 'signup', user: 'erin', email: 'erin@example.com' });
    expect(challenged.verdict).toBe('challenge');
    const page = await browser.newPage();
    await logIn(page);
    await page.getByRole('link', { name: 'Challenges' }).click();
    await shows(page.locator('table.list tbody tr').first(), /erin.*verification · email.*created/);
    await snap(page, 'dashboard-8-challenges');
    await page.getByLabel('Status').selectOption('completed');
    await page.waitForURL(/challenges\?status=completed$/);
    await shows(page.getByRole('heading', { level: 3 }), 'No challenge');
    await page.close();
  });

  it('lists the devices the browser SDK brought, with their users', async () => {
    // Two users log in from one browser (the project allows any origin): one device, two users.
    const browserPage = await browser.newPage();
    await browserPage.goto(`${vigil.url}/dashboard/login`);
    await browserPage.addScriptTag({ url: `${vigil.url}/sdk/vigil.js` });
    for (const user of ['frank', 'grace']) {
      await browserPage.evaluate(
        ([id, base, who]) =>
          new (window as unknown as { Vigil: new (o: object) => { evaluate: { login(o: object): Promise<unknown> } } }).Vigil({ clientId: id, baseUrl: base }).evaluate.login({
            user: who,
          }),
        [clientId, vigil.url, user] as const,
      );
    }
    await browserPage.close();
    const page = await browser.newPage();
    await logIn(page);
    await page.getByRole('link', { name: 'Devices' }).click();
    const row = page.locator('table.list tbody tr').first();
    await shows(row.locator('td').nth(2), '2');
    await shows(row.locator('td').nth(3), /^(frank, grace|grace, frank)$/);
    expect(await row.locator('td').nth(1).textContent()).toMatch(/Chrome/);
    await snap(page, 'dashboard-9-devices');
    await row.getByRole('link', { name: 'frank' }).click();
    await page.waitForURL(/users\?user=frank$/);
    await shows(page.locator('.card').filter({ hasText: 'Devices (1)' }).locator('h2'), 'Devices (1)');
    await page.close();
  });

  it('shows the accounts one browser links, why, and the people behind an account', async () => {
    // frank and grace logged in from one browser (above): one device and one fingerprint link them.
    const page = await browser.newPage();
    await logIn(page);
    await page.getByRole('link', { name: 'People' }).click();
    const row = page.locator('table.list tbody tr').filter({ hasText: 'Chrome' }).first();
    await shows(row.locator('td').nth(1), /^(frank, grace|grace, frank)$/);
    await row.getByRole('link', { name: 'frank' }).click();
    await page.waitForURL(/people\?user=frank$/);
    await shows(page.getByTestId('people-count'), 'One person');
    await expect.poll(() => page.locator('svg.graph [data-node="user:grace"]').count(), { timeout: 15_000 }).toBe(1);
    await shows(page.locator('table.why'), /grace.*the same device: .*Chrome/);
    await shows(page.locator('table.why'), /grace.*the same browser fingerprint/);
    await snap(page, 'dashboard-10-people');
    // A click on an account in the graph centres the page on it.
    await page.locator('svg.graph [data-node="user:grace"]').click();
    await page.waitForURL(/people\?user=grace$/);
    await expect.poll(() => page.locator('svg.graph [data-node="user:frank"]').count(), { timeout: 15_000 }).toBe(1);
    await page.close();
  });

  it('adds a list entry, and rotates the secret key, shown once', async () => {
    const page = await browser.newPage();
    await logIn(page);
    await page.getByRole('link', { name: 'Lists' }).click();
    await page.getByLabel('Name').fill('blocked_ips');
    await page.getByLabel('Holds').selectOption('ip');
    await page.getByRole('button', { name: 'Create list' }).click();
    await page.getByLabel('New value').fill('198.51.100.23');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await shows(page.locator('table.entries td').first(), '198.51.100.23');
    await snap(page, 'dashboard-5-lists');
    expect((await api.lists.get('blocked_ips')).data.map((e: { value: string }) => e.value)).toEqual(['198.51.100.23']);

    await page.getByRole('link', { name: 'Settings' }).click();
    await shows(page.getByRole('heading', { level: 2 }).first(), 'Keys');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByLabel('Old key keeps working for').selectOption('0');
    await page.getByRole('button', { name: 'Rotate the secret key' }).click();
    await expect.poll(async () => (await page.getByTestId('new-secret-key').textContent()) ?? '', { timeout: 15_000 }).toMatch(/^sk_/);
    const newKey = (await page.getByTestId('new-secret-key').textContent())!;
    await expect(api.checks.list()).rejects.toMatchObject({ code: 'INVALID_SECRET_KEY' });
    secretKey = newKey;
    api = new VigilAPI(newKey, { baseUrl: vigil.url });
    expect((await api.checks.list()).length).toBeGreaterThan(50);
    // Not shown again: a reload has no key on the page.
    await page.reload();
    await shows(page.getByRole('heading', { level: 1 }), 'Settings');
    expect(await page.getByTestId('new-secret-key').count()).toBe(0);
    await page.close();
  });

  it('sets retention, risk thresholds and a webhook endpoint, and shows SMS and reference data', async () => {
    const page = await browser.newPage();
    await logIn(page);
    await page.getByRole('link', { name: 'Settings' }).click();
    await shows(page.getByTestId('retention'), /180 days \(the instance default/);
    await shows(page.getByTestId('sms-gateway'), /SMS is not configured/);
    // Reference data: every list with its age, and the attributions.
    await expect.poll(() => page.locator('table.reference tbody tr').count(), { timeout: 15_000 }).toBeGreaterThan(5);
    expect(await page.locator('.card').filter({ hasText: 'Attributions' }).textContent()).toContain('DB-IP');
    await snap(page, 'dashboard-6-settings'); // before any secret is on the page

    await page.getByLabel('Keep for (days)').fill('30');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Save retention' }).click();
    await shows(page.getByTestId('retention'), /30 days \(this project’s own setting\)/);
    const retention = await fetch(`${vigil.url}/v3/settings/retention`, { headers: { authorization: `Bearer ${secretKey}` } });
    expect(await retention.json()).toMatchObject({ days: 30, source: 'project' });

    await page.getByLabel('ato high threshold').fill('55');
    await page.getByRole('button', { name: 'Save thresholds' }).click();
    await shows(page.locator('.notice'), /Thresholds saved/);
    const risks = await (await fetch(`${vigil.url}/v3/risks`, { headers: { authorization: `Bearer ${secretKey}` } })).json();
    expect(risks.overrides.ato.thresholds.high).toBe(55);
    expect(risks.data.find((t: { category: string }) => t.category === 'ato').thresholds.high).toBe(55);
    // Thresholds that do not increase are refused by the server, and the page says why.
    await page.getByLabel('bot medium threshold').fill('99');
    await page.getByRole('button', { name: 'Save thresholds' }).click();
    await shows(page.getByRole('alert'), /medium < high < maximum/);

    // A webhook endpoint for the default events (every one but evaluation.created) and, ticked, evaluation.created too.
    const auth = { headers: { authorization: `Bearer ${secretKey}` } };
    const events = page.getByRole('group', { name: 'Events to send' });
    expect(await events.getByLabel('challenge.completed').isChecked()).toBe(true);
    expect(await events.getByLabel('evaluation.created').isChecked()).toBe(false);
    await page.getByLabel('Endpoint URL').fill('https://app.example.com/hooks/vigil');
    await events.getByLabel('evaluation.created').check();
    await page.getByRole('button', { name: 'Send webhooks here' }).click();
    await expect.poll(async () => (await page.getByTestId('webhook-secret').textContent()) ?? '', { timeout: 15_000 }).toMatch(/^whsec_/);
    await shows(page.getByTestId('webhook-endpoint'), 'https://app.example.com/hooks/vigil');
    await shows(page.getByTestId('webhook-events'), /evaluation\.created/);
    expect(await page.getByTestId('webhook-events').textContent()).toContain('challenge.completed');
    const hooks = await (await fetch(`${vigil.url}/v3/webhooks`, auth)).json();
    expect(hooks.data).toHaveLength(1);
    expect(hooks.data[0].url).toBe('https://app.example.com/hooks/vigil');
    expect(hooks.data[0].events).toEqual(expect.arrayContaining(['evaluation.created', 'challenge.completed', 'evaluation.denied']));
    expect((await (await fetch(`${vigil.url}/v3/webhook`, auth)).json()).url).toBe('https://app.example.com/hooks/vigil');
    // An evaluation is an evaluation.created delivery to it (pending or failed: the host does not answer).
    await api.evaluate({ action: 'login', user: 'dave', ip: '84.208.1.1' });
    await expect
      .poll(async () => (await (await fetch(`${vigil.url}/v3/webhook/deliveries`, auth)).json()).data.filter((d: { type: string }) => d.type === 'evaluation.created').length, {
        timeout: 15_000,
      })
      .toBe(1);
    await page.reload();
    await shows(page.getByTestId('webhook-endpoint'), /app\.example\.com\/hooks\/vigil/);
    expect(await page.getByTestId('webhook-secret').count()).toBe(0);
    const created = page.locator('table.deliveries tbody tr').filter({ hasText: 'evaluation.created' });
    await expect.poll(() => created.count(), { timeout: 15_000 }).toBe(1);
    expect(await created.first().textContent()).toContain('https://app.example.com/hooks/vigil');
    expect(await created.first().locator('.badge').textContent()).toMatch(/^(pending|failed)$/);
    // Resend: a new delivery of the same event, and the list shows it.
    await created.first().getByRole('button', { name: 'Resend' }).click();
    await expect.poll(() => created.count(), { timeout: 15_000 }).toBe(2);
    await shows(page.locator('.notice').filter({ hasText: 'sent again' }), /evaluation\.created is sent again/);
    expect((await (await fetch(`${vigil.url}/v3/webhook/deliveries`, auth)).json()).data.filter((d: { type: string }) => d.type === 'evaluation.created')).toHaveLength(2);
    // Its events change: evaluation.created unticked, the rest kept.
    await page.getByRole('button', { name: 'Change events' }).click();
    const edit = page.getByRole('group', { name: 'Events sent to https://app.example.com/hooks/vigil' });
    expect(await edit.getByLabel('evaluation.created').isChecked()).toBe(true);
    await edit.getByLabel('evaluation.created').uncheck();
    await page.getByRole('button', { name: 'Save events' }).click();
    await expect.poll(async () => (await page.getByTestId('webhook-events').textContent()) ?? '', { timeout: 15_000 }).not.toContain('evaluation.created');
    expect((await (await fetch(`${vigil.url}/v3/webhooks`, auth)).json()).data[0].events).toEqual(expect.not.arrayContaining(['evaluation.created']));

    // A second operator, added here, logs in in another browser context; removed, they are out.
    const operators = page.locator('.card').filter({ has: page.getByRole('heading', { name: 'Operators' }) });
    await operators.getByLabel('Email').fill('second@shop.example');
    await operators.getByLabel('First password').fill('the second operator passphrase');
    await operators.getByRole('button', { name: 'Add operator' }).click();
    await shows(operators.locator('table.operators'), /second@shop\.example/);
    const other = await browser.newContext();
    const second = await other.newPage();
    await second.goto(`${vigil.url}/dashboard/login`);
    await second.locator('input[name="email"]').fill('second@shop.example');
    await second.locator('input[name="password"]').fill('the second operator passphrase');
    await second.getByRole('button', { name: 'Log in' }).click();
    await second.waitForURL(/\/dashboard\/p\/pr_[^/]+\/$/);
    page.once('dialog', (dialog) => void dialog.accept());
    await operators.getByRole('button', { name: 'Remove second@shop.example' }).click();
    await expect.poll(async () => (await operators.locator('table.operators').textContent()) ?? '', { timeout: 15_000 }).not.toContain('second@shop.example');
    expect(await second.evaluate(async () => (await fetch('/dashboard/api/session')).status)).toBe(401);
    await other.close();
    await page.close();
  });

  it("refuses the operator's calls without the session's CSRF token", async () => {
    const page = await browser.newPage();
    await logIn(page);
    await page.waitForURL(/\/dashboard\/p\/(pr_[^/]+)\//);
    const projectId = /\/p\/(pr_[^/]+)\//.exec(page.url())![1]!;
    const statuses = await page.evaluate(async (project) => {
      const v3 = await fetch('/v3/policies', { headers: { 'x-vigil-project': project } });
      const rotate = await fetch(`/dashboard/api/projects/${project}/keys/rotate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"grace_hours":0}' });
      return [v3.status, (await v3.json()).error.code, rotate.status, (await rotate.json()).error.code];
    }, projectId);
    expect(statuses).toEqual([403, 'CSRF_TOKEN_INVALID', 403, 'CSRF_TOKEN_INVALID']);
    await page.close();
  });
});

describe('erasing a user (GDPR)', () => {
  it('erases a user from their page once their id is typed again, says what went, and the API no longer knows them', async () => {
    await api.evaluate({ action: 'login', user: 'ivan', email: 'ivan@example.com', ip: '84.208.1.2' });
    const page = await browser.newPage();
    await logIn(page);
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('search').getByLabel('User id').fill('ivan');
    await page.getByRole('search').getByRole('button', { name: 'Open' }).click();
    await page.waitForURL(/users\?user=ivan$/);
    await shows(page.getByRole('heading', { level: 2 }).first(), 'ivan');

    await page.getByRole('button', { name: 'Erase this user' }).click();
    const confirmation = page.getByRole('form', { name: 'Erase this user' });
    // A near miss erases nothing.
    await confirmation.getByLabel('Type the user id to confirm').fill('iva');
    await confirmation.getByRole('button', { name: 'Erase permanently' }).click();
    await shows(page.getByRole('alert'), 'Type ivan exactly to erase this user.');
    expect((await api.users.get('ivan')).id).toBe('ivan');

    await confirmation.getByLabel('Type the user id to confirm').fill('ivan');
    await confirmation.getByRole('button', { name: 'Erase permanently' }).click();
    // The page of someone who is gone is left; what went is said there.
    await page.waitForURL(/\/users$/);
    await shows(page.getByRole('status').filter({ hasText: 'Erased' }), /^Erased ivan: 1 evaluation, 0 challenges, 0 devices, 0 fingerprints, 1 sighting, /);
    await expect(api.users.get('ivan')).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    const again = await fetch(`${vigil.url}/v3/users/ivan`, { method: 'DELETE', headers: { authorization: `Bearer ${secretKey}` } });
    expect(again.status).toBe(404);
    expect((await again.json()).error.code).toBe('USER_NOT_FOUND');
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
