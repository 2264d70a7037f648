import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.js';
import { shows } from './support/page-text.js';
import { type ShopWithVigil, startShopWithVigil } from './support/shop.js';
import { type Mail, startSmtpPeer } from './support/smtp-peer.js';

// Login protection with a verification by email, end to end: a real Vigil process sends the code
// through a real SMTP conversation (nodemailer to smtp-server), Chromium goes through the example
// shop, the hosted challenge page and back, and the shop's backend finishes the login only once Vigil
// says the challenge is completed.
let setup: ShopWithVigil;
let smtp: Awaited<ReturnType<typeof startSmtpPeer>>;
let browser: Browser;
const api = (method: string, path: string, body?: unknown) => setup.api(method, path, body);

const codeIn = (mail: Mail) => /(\d{6}) is your/.exec(mail.raw)?.[1];

beforeAll(async () => {
  smtp = await startSmtpPeer();
  setup = await startShopWithVigil('challenge', { SMTP_URL: smtp.url, MAIL_FROM: 'Example shop <security@shop.example>' });
  browser = await launchChromium();
  // alice is known with her email (as a signup would have told Vigil), not yet verified.
  expect((await api('POST', '/v3/evaluations', { action: 'signup', user: 'alice', email: 'alice@example.com' })).status).toBe(201);
  const policy = await api('POST', '/v3/policies', {
    name: 'Verify logins until the email is verified',
    events: ['login'],
    priority: 1,
    conditions: { field: 'is_email_verified', operator: 'eq', value: false },
    action: { type: 'challenge', challenge: { type: 'verification', channels: ['email'], success_url: `${setup.shopUrl}/login/verified` } },
  });
  expect(policy.status).toBe(201);
});
afterAll(async () => {
  await browser?.close();
  await setup?.stop();
  await smtp?.stop();
});

async function submitLogin(page: Page) {
  await page.goto(setup.shopUrl);
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill('wonderland');
  await page.getByRole('button', { name: 'Log in' }).click();
}

describe('login protection: verification by email', () => {
  it('sends alice to the hosted page, mails her a code, and finishes her login once she enters it', async () => {
    const page = await browser.newPage();
    await submitLogin(page);
    await page.waitForURL(/\/challenge\/ch_[^?]+\?t=/);
    const challengeId = /\/challenge\/([^?]+)/.exec(page.url())![1]!;
    await expect.poll(async () => (await api('GET', `/v3/challenges/${challengeId}`)).body.status, { timeout: 10_000 }).toBe('presented');
    expect(await page.title()).toContain('Example shop');

    const mailed = smtp.next('alice@example.com');
    await page.getByRole('button', { name: 'Send the code by email' }).click();
    const mail = await mailed;
    expect(mail.from).toBe('security@shop.example');
    const code = codeIn(mail);
    expect(code).toMatch(/^\d{6}$/);
    await shows(page.getByRole('status'), /We sent a code to a•+@example\.com/);
    expect((await api('GET', `/v3/challenges/${challengeId}`)).body.status).toBe('code_sent');

    // A wrong code costs an attempt and says how many are left.
    await page.getByLabel('6-digit code').fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await shows(page.getByRole('alert'), 'That code is not right. 4 attempts left.');

    await page.getByLabel('6-digit code').fill(code!);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(`${setup.shopUrl}/login/verified?evaluation=*`);
    await shows(page.getByRole('status'), 'Welcome, alice!');

    const challenge = (await api('GET', `/v3/challenges/${challengeId}`)).body;
    expect(challenge).toMatchObject({ status: 'completed', method: 'verification', channels: ['email'] });
    const evaluation = (await api('GET', `/v3/evaluations/${challenge.evaluation}`)).body;
    expect(evaluation).toMatchObject({ verdict: 'challenge', challenge: { id: challengeId, status: 'completed' } });
    expect((await api('GET', '/v3/users/alice')).body).toMatchObject({ is_email_verified: true });
    await page.close();
  });

  it('lets her in without a challenge now that her email is verified', async () => {
    const page = await browser.newPage();
    await submitLogin(page);
    await shows(page.getByRole('status'), 'Welcome, alice!');
    await page.close();
  });

  it('refuses a tampered or missing link with a page that says so', async () => {
    const page = await browser.newPage();
    const res = await page.goto(`${setup.vigil.url}/challenge/ch_nothing?t=1.abc`);
    expect(res?.status()).toBe(403);
    await shows(page.getByRole('heading'), 'This link has expired');
    await shows(page.getByRole('alert'), /not valid/);
    await page.close();
  });
});
