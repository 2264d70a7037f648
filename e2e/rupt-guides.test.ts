// The Rupt guides' own code, written as the guides write it, against a real Vigil process: only the
// import and the base URL change. `import Rupt from "@ruptjs/core"` becomes `import Rupt from "@vigil/api"`,
// and `new Rupt("API_SECRET")` gains `{ baseUrl }`.
import Rupt from '@vigil/api';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.js';
import { type ShopWithVigil, startShopWithVigil } from './support/shop.js';
import { type Mail, startSmtpPeer } from './support/smtp-peer.js';

let setup: ShopWithVigil;
let smtp: Awaited<ReturnType<typeof startSmtpPeer>>;
let browser: Browser;

const codeIn = (mail: Mail) => /(\d{6}) is your/.exec(mail.raw)?.[1];

/** In a Chromium page of the app: what the browser SDK gives, as the guides call it. */
async function inPage<T>(run: (clientId: string, baseUrl: string) => Promise<T>, profile: { timezoneId?: string; locale?: string } = {}): Promise<T> {
  const context = await browser.newContext(profile);
  const page = await context.newPage();
  await page.goto(setup.shopUrl);
  const result = await page.evaluate(`(${run.toString()})(${JSON.stringify(setup.project.client_id)}, ${JSON.stringify(setup.vigil.url)})`);
  await context.close();
  return result as T;
}

beforeAll(async () => {
  smtp = await startSmtpPeer();
  setup = await startShopWithVigil('rupt-guides', { SMTP_URL: smtp.url, MAIL_FROM: 'security@shop.example' });
  browser = await launchChromium();
  const policy = await setup.api('POST', '/v3/policies', {
    name: 'Verify new devices',
    events: ['login'],
    priority: 1,
    conditions: { field: 'is_new_fingerprint', operator: 'eq', value: true },
    action: { type: 'challenge', challenge: { type: 'verification', channels: ['email'] } },
  });
  expect(policy.status).toBe(201);
});
afterAll(async () => {
  await browser?.close();
  await setup?.stop();
  await smtp?.stop();
});

describe('the v2 account-takeover guide (file 001), its backend code unchanged', () => {
  it('evaluates with the hash array, sends, verifies and completes the challenge by positional calls', async () => {
    // Browser side: getHash() in the page; v2 pages sent [current, last], Vigil's SDK sends the hash.
    const hash = await inPage(() => (window as unknown as { Vigil: { getHash(): Promise<string> } }).Vigil.getHash());
    for (const REQUEST_HASH of [[hash, null], hash]) {
      const user = Array.isArray(REQUEST_HASH) ? 'USER_ID' : 'OTHER_USER_ID';
      // ——— the guide's code from here, as written ———
      const rupt = new Rupt(setup.project.secret_key, { baseUrl: setup.vigil.url });
      const res = await rupt.evaluate({
        action: 'login',
        user,
        fingerprint: REQUEST_HASH as [string, null],
        ip: '84.208.1.1',
        email: 'owner@example.com',
        phone: '+4791234567',
        metadata: {
          key: 'value',
        },
      });
      expect(res).toMatchObject({
        verdict: 'challenge',
        fingerprint_id: expect.stringMatching(/^fp_/),
        reasons: expect.arrayContaining(['new_fingerprint']),
        challenge_id: expect.stringMatching(/^ch_/),
      });
      const mailed = smtp.next('owner@example.com');
      const { challenge_id } = await rupt.sendChallengeCode(res.challenge_id!);
      expect(challenge_id).toBe(res.challenge_id);
      const code = codeIn(await mailed)!;
      const { success } = await rupt.verifyChallengeCode(challenge_id, code);
      expect(success).toBe(true);
      const completed = await rupt.completeChallenge(challenge_id);
      expect(completed.success).toBe(true);
      // ——— to here ———
      // The same device is not asked again for the same reasons.
      expect((await rupt.evaluate({ action: 'login', user, fingerprint: REQUEST_HASH as [string, null] })).verdict).toBe('allow');
    }
  });
});

describe('the quick start (file 000): a signup before the user has an id', () => {
  it('evaluates the signup in the browser by email alone; and the backend gives the new user its id on consume', async () => {
    const evaluationId = await inPage(async (clientId, baseUrl) => {
      const { Vigil } = window as unknown as { Vigil: new (o: object) => { evaluate: { signup(o: object): Promise<{ evaluation_id: string }> } } };
      const vigil = new Vigil({ clientId, baseUrl });
      return (await vigil.evaluate.signup({ email: 'newcomer@example.com' })).evaluation_id;
    });
    const rupt = new Rupt(setup.project.secret_key, { baseUrl: setup.vigil.url });
    expect((await rupt.evaluation.get(evaluationId)).user).toMatchObject({ id: null, email: 'newcomer@example.com' });
    const consumed = await rupt.evaluation.consume(evaluationId, { user: 'u_newcomer' });
    expect(consumed).toMatchObject({ action: 'signup', consumed: true, user: { id: 'u_newcomer', email: 'newcomer@example.com' } });
    const user = await rupt.users.get('u_newcomer');
    expect(user).toMatchObject({ id: 'u_newcomer' });
  });
});
