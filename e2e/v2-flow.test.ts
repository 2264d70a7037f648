import { VigilAPI, confirmEvaluation } from '@vigil/api';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.js';
import { type ShopWithVigil, startShopWithVigil } from './support/shop.js';
import { type Mail, startSmtpPeer } from './support/smtp-peer.js';

// The Rupt v2 account-takeover flow, step by step as its guide has it, against a real Vigil process:
// the page takes the device hash with getHash() (Chromium), the backend evaluates with it on
// /v2/devices/evaluate, sends the code (a real SMTP conversation), verifies what the user typed and
// completes; the same device is not challenged again for the same reasons, another device is. Five
// wrong codes fail a challenge, and the backend then refuses the login.
let setup: ShopWithVigil;
let smtp: Awaited<ReturnType<typeof startSmtpPeer>>;
let browser: Browser;
let vigil: VigilAPI;

const codeIn = (mail: Mail) => /(\d{6}) is your/.exec(mail.raw)?.[1];

/** Step 1, in the browser: the device hash, as the login page would send it with the form. */
async function deviceHash(profile: { timezoneId?: string; locale?: string } = {}): Promise<string> {
  const context = await browser.newContext(profile);
  const page = await context.newPage();
  await page.goto(setup.shopUrl);
  const hash = await page.evaluate(() => (window as unknown as { Vigil: { getHash(): Promise<string> } }).Vigil.getHash());
  await context.close();
  return hash;
}

beforeAll(async () => {
  smtp = await startSmtpPeer();
  setup = await startShopWithVigil('v2', { SMTP_URL: smtp.url, MAIL_FROM: 'security@shop.example' });
  browser = await launchChromium();
  vigil = new VigilAPI(setup.project.secret_key, { baseUrl: setup.vigil.url });
  await vigil.policies.create({
    name: 'Verify every login',
    events: ['login'],
    priority: 1,
    conditions: { field: 'action', operator: 'eq', value: 'login' },
    action: { type: 'challenge', challenge: { type: 'verification', channels: ['email'] } },
  });
});
afterAll(async () => {
  await browser?.close();
  await setup?.stop();
  await smtp?.stop();
});

describe('the v2 account-takeover flow', () => {
  let hash: string;
  const login = { action: 'login', user: 'alice', email: 'alice@example.com', ip: '84.208.1.1', user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0' };

  it('challenges a login, mails the code, verifies and completes it', async () => {
    hash = await deviceHash();
    expect(hash).toMatch(/^[0-9a-f]{32}$/);

    // Step 2, on the backend: evaluate with the hash.
    const { verdict, reasons, challenge_id, fingerprint_id } = await vigil.evaluate({ ...login, fingerprint: hash });
    expect(verdict).toBe('challenge');
    expect(reasons).toEqual(expect.arrayContaining(['new_user', 'new_fingerprint', 'new_ip']));
    expect(challenge_id).toMatch(/^ch_/);
    expect(fingerprint_id).toMatch(/^fp_/);

    // The same on the v2 path and shape, as a backend written for v2 calls it.
    const raw = await fetch(`${setup.vigil.url}/v2/devices/evaluate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${setup.project.secret_key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...login, fingerprint: [hash, null], version: '2.32.0' }),
    });
    expect(raw.status).toBe(200);
    const v2 = await raw.json();
    expect(Object.keys(v2).sort()).toEqual(['challenge_id', 'evaluation_id', 'fingerprint_id', 'reasons', 'verdict']);
    expect(v2).toMatchObject({ verdict: 'challenge', fingerprint_id, challenge_id: expect.stringMatching(/^ch_/) });

    // Step 3: send the code; the user reads it in their mail and types it on the app's own page.
    const mailed = smtp.next('alice@example.com');
    expect(await vigil.sendChallengeCode({ challenge: challenge_id!, channel: 'email' })).toEqual({ success: true, challenge_id });
    const code = codeIn(await mailed)!;
    expect(code).toMatch(/^\d{6}$/);
    expect(await vigil.verifyChallengeCode({ challenge: challenge_id!, code: code === '000000' ? '111111' : '000000' })).toEqual({ success: false, attempts_left: 4 });
    expect(await vigil.verifyChallengeCode({ challenge: challenge_id!, code })).toEqual({ success: true });
    // Step 4: complete, and the login goes through.
    expect(await vigil.completeChallenge(challenge_id!)).toEqual({ success: true });
    expect((await vigil.challenges.get(challenge_id!)).status).toBe('completed');
    expect((await vigil.users.get('alice')).is_email_verified).toBe(true);
  });

  it('does not challenge the same device again for the same reasons, and does another device', async () => {
    const again = await vigil.evaluate({ ...login, fingerprint: hash });
    expect(again).toMatchObject({ verdict: 'allow', challenge_id: null, policy: { name: 'Verify every login', suppressed_by: { challenge: expect.stringMatching(/^ch_/) } } });
    const elsewhere = await vigil.evaluate({ ...login, fingerprint: await deviceHash({ timezoneId: 'Asia/Tokyo', locale: 'ja-JP' }) });
    expect(elsewhere.verdict).toBe('challenge');
  });

  it('fails the challenge at the fifth wrong code, and the backend refuses the login', async () => {
    const other = await deviceHash({ timezoneId: 'America/Lima', locale: 'es-PE' });
    const evaluation = await vigil.evaluate({ ...login, fingerprint: other });
    expect(evaluation.verdict).toBe('challenge');
    const mailed = smtp.next('alice@example.com');
    await vigil.sendChallengeCode({ challenge: evaluation.challenge_id! });
    const code = codeIn(await mailed)!;
    const wrong = code === '000000' ? '111111' : '000000';
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await vigil.verifyChallengeCode({ challenge: evaluation.challenge_id!, code: wrong }));
    expect(answers.map((a) => a.attempts_left)).toEqual([4, 3, 2, 1, 0]);
    expect((await vigil.challenges.get(evaluation.challenge_id!)).status).toBe('failed');
    // Even the right code is refused now, and the backend does not honour the login.
    await expect(vigil.verifyChallengeCode({ challenge: evaluation.challenge_id!, code })).rejects.toMatchObject({ code: 'CHALLENGE_CLOSED', status: 409 });
    await expect(vigil.completeChallenge(evaluation.challenge_id!)).rejects.toMatchObject({ code: 'CHALLENGE_CLOSED' });
    const consumed = await vigil.evaluation.consume(evaluation.id);
    expect(confirmEvaluation(consumed, { action: 'login', user: 'alice' })).toEqual({ ok: false, reason: 'challenge not completed' });
    // And the next evaluation counts the failure.
    expect((await vigil.evaluate({ ...login, fingerprint: other })).checks.failed_challenges_last_day).toBe(1);
  });
});
