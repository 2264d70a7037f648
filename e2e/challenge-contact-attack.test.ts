import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.js';
import { shows } from './support/page-text.js';
import { type ShopWithVigil, startShopWithVigil } from './support/shop.js';
import { startSmtpPeer } from './support/smtp-peer.js';

// Regression of the security review's critical finding (issue 14): an attacker who holds alice's
// password logs in from their own browser and has the SDK name *their* email and phone, hoping the
// challenge code comes to them. The client channel may only add evidence: the code goes to the
// address alice's backend gave, the attacker never sees it, and the backend's confirmation says no.
let setup: ShopWithVigil;
let smtp: Awaited<ReturnType<typeof startSmtpPeer>>;
let browser: Browser;
const api = (method: string, path: string, body?: unknown) => setup.api(method, path, body);

beforeAll(async () => {
  smtp = await startSmtpPeer();
  setup = await startShopWithVigil('contact-attack', { SMTP_URL: smtp.url, MAIL_FROM: 'Example shop <security@shop.example>' });
  browser = await launchChromium();
  // alice signed up through the shop's backend, which told Vigil her email.
  expect((await api('POST', '/v3/evaluations', { action: 'signup', user: 'alice', email: 'alice@example.com' })).status).toBe(201);
  const policy = await api('POST', '/v3/policies', {
    name: 'Verify every login',
    events: ['login'],
    priority: 1,
    conditions: { field: 'action', operator: 'eq', value: 'login' },
    action: { type: 'challenge', challenge: { type: 'verification', channels: ['email'] } },
  });
  expect(policy.status).toBe(201);
});
afterAll(async () => {
  await browser?.close();
  await setup?.stop();
  await smtp?.stop();
});

describe("an attacker with alice's password names their own contact in the browser", () => {
  it("sends the challenge code to alice's own address, not the attacker's, and the login is not confirmed", async () => {
    const page = await browser.newPage();
    await page.goto(setup.shopUrl);
    // The attacker drives the SDK themselves (it is their browser), naming their own email and phone.
    const answer = await page.evaluate(async () => {
      const vigil = (window as unknown as { vigil: { evaluate: { login(o: object): Promise<{ evaluation_id: string; redirect?: string }> } } }).vigil;
      return vigil.evaluate.login({ user: 'alice', email: 'mallory@evil.example', phone: '+15550001111' });
    });
    expect(answer.redirect).toMatch(/\/challenge\/ch_[^?]+\?t=/);
    // The browser learns nothing else.
    expect(Object.keys(answer).sort()).toEqual(['evaluation_id', 'redirect']);

    await page.goto(answer.redirect!);
    // The page shows where the code will go: alice's address, masked.
    await shows(page.locator('body'), /a•+@example\.com/);
    const mailed = smtp.next('alice@example.com');
    await page.getByRole('button', { name: 'Send the code by email' }).click();
    await shows(page.getByRole('status'), /We sent a code to a•+@example\.com/);
    const mail = await mailed;
    expect(mail.to).toEqual(['alice@example.com']);
    expect(smtp.mails.flatMap((m) => m.to)).not.toContain('mallory@evil.example');

    // Vigil still holds alice's contact, and her backend's confirmation sees no completed challenge.
    expect((await api('GET', '/v3/users/alice')).body).toMatchObject({ email: 'alice@example.com', phone: null, is_email_verified: false });
    const confirmed = await api('POST', `/v3/evaluations/${answer.evaluation_id}/consume`);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ verdict: 'challenge', challenge: { status: 'code_sent' } });
    await page.close();
    // A real server, mail peer and browser: 8.5 s alone, up to twice that beside the suite.
  }, 90_000);
});
