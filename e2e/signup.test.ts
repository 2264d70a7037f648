import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error the example is plain JavaScript, without type declarations
import { createSignupExample } from '../examples/signup/server.js';
import { launchChromium } from './support/browser.js';
import { shows } from './support/page-text.js';
import { type ShopWithVigil, startShopWithVigil } from './support/shop.js';
import { type Mail, startSmtpPeer } from './support/smtp-peer.js';

// Signup protection with the signup example, in Chromium: a disposable email is refused; any other
// signup waits, bound to its evaluation, until the email is verified on the hosted page (the code read
// from a real SMTP server), and only then does the account exist.
let setup: ShopWithVigil;
let smtp: Awaited<ReturnType<typeof startSmtpPeer>>;
let browser: Browser;
const api = (method: string, path: string, body?: unknown) => setup.api(method, path, body);

const account = async (name: string) => (await fetch(`${setup.shopUrl}/accounts/${name}`)).status;
const codeIn = (mail: Mail) => /(\d{6}) is your/.exec(mail.raw)?.[1];

async function signUp(page: Page, username: string, email: string) {
  await page.goto(setup.shopUrl);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign up' }).click();
}

beforeAll(async () => {
  smtp = await startSmtpPeer();
  setup = await startShopWithVigil('signup', { SMTP_URL: smtp.url, MAIL_FROM: 'accounts@app.example' }, createSignupExample);
  browser = await launchChromium();
  for (const policy of [
    { name: 'No disposable emails', events: ['signup'], priority: 1, conditions: { field: 'email_is_disposable', operator: 'eq', value: true }, action: { type: 'deny' } },
    {
      name: 'Verify every signup',
      events: ['signup'],
      priority: 2,
      conditions: { field: 'action', operator: 'eq', value: 'signup' },
      action: { type: 'challenge', challenge: { type: 'verification', channels: ['email'], success_url: `${setup.shopUrl}/signup/verified` } },
    },
  ]) {
    expect((await api('POST', '/v3/policies', policy)).status).toBe(201);
  }
});
afterAll(async () => {
  await browser?.close();
  await setup?.stop();
  await smtp?.stop();
});

describe('signup protection', () => {
  it('refuses a disposable email', async () => {
    const page = await browser.newPage();
    await signUp(page, 'mallory', 'mallory@mailinator.com');
    await shows(page.getByRole('status'), 'Signup refused: this signup cannot be accepted');
    expect(await account('mallory')).toBe(404);
    await page.close();
  });

  it('creates the account only once the email is verified, from the signup bound to the evaluation', async () => {
    const page = await browser.newPage();
    await signUp(page, 'carol', 'carol@example.com');
    await page.waitForURL(/\/challenge\/ch_[^?]+\?t=/, { timeout: 15_000 });
    // Pending: no account yet, and the link back alone does not make one.
    expect(await account('carol')).toBe(404);
    const challengeId = /\/challenge\/([^?]+)/.exec(page.url())![1]!;
    const evaluationId = (await api('GET', `/v3/challenges/${challengeId}`)).body.evaluation as string;
    const early = await fetch(`${setup.shopUrl}/signup/verified?evaluation=${evaluationId}`);
    expect(early.status).toBe(403);
    expect(await account('carol')).toBe(404);

    const mailed = smtp.next('carol@example.com');
    await page.getByRole('button', { name: 'Send the code by email' }).click();
    const code = codeIn(await mailed)!;
    await page.getByLabel('6-digit code').fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(`${setup.shopUrl}/signup/verified?evaluation=${evaluationId}`);
    await shows(page.getByRole('status'), 'Welcome, carol! Your account is ready.');
    expect(await (await fetch(`${setup.shopUrl}/accounts/carol`)).json()).toEqual({ user: 'carol', email_verified: true });
    // The link back finishes one signup, once.
    expect((await fetch(`${setup.shopUrl}/signup/verified?evaluation=${evaluationId}`)).status).toBe(403);
    expect((await api('GET', '/v3/users/carol')).body.is_email_verified).toBe(true);
    await page.close();
  });
});
