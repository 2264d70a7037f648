import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.js';
import { type ShopWithVigil, startShopWithVigil } from './support/shop.js';

// The quick-start flow end to end: a real Vigil process, the example shop's real backend, and a real
// Chromium filling in the example's login page.

let vigil: ShopWithVigil['vigil'];
let shopUrl: string;
let project: { id: string; client_id: string; secret_key: string };
let browser: Browser;
// One browser profile for the whole test, as one person's browser: its device cookie persists between pages.
let context: BrowserContext;

let setup: ShopWithVigil;
beforeAll(async () => {
  setup = await startShopWithVigil('login');
  ({ vigil, shopUrl, project } = setup);
  browser = await launchChromium();
  context = await browser.newContext();
});

afterAll(async () => {
  await browser?.close();
  await setup?.stop();
});

const readEvaluation = async (id: string) => {
  const res = await fetch(`${vigil.url}/v3/evaluations/${id}`, { headers: { authorization: `Bearer ${project.secret_key}` } });
  return { status: res.status, body: await res.json() };
};

async function openLoginPage(): Promise<Page> {
  const page = await context.newPage();
  await page.goto(shopUrl);
  return page;
}

/** Posts to the shop's backend from the page, as an attacker at the keyboard could. */
function postLogin(page: Page, body: Record<string, string>) {
  return page.evaluate(async (payload) => {
    const res = await fetch('/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    return { status: res.status, body: await res.json() };
  }, body);
}

function evaluateInPage(page: Page, action: 'login' | 'signup', user: string): Promise<string> {
  return page.evaluate(
    async ({ action, user }) => {
      const w = window as unknown as { vigil: { evaluate: Record<string, (o: { user: string }) => Promise<{ evaluation_id: string }>> } };
      return (await w.vigil.evaluate[action]!({ user })).evaluation_id;
    },
    { action, user },
  );
}

describe('the example login, in Chromium', () => {
  let firstEvaluationId: string;

  it('logs alice in with verdict allow, and Vigil recorded what it saw', async () => {
    const page = await openLoginPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const evaluateResponse = page.waitForResponse((r) => r.url().endsWith('/v3/client/evaluate'));
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill('wonderland');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 15_000 }).toBe('Welcome, alice!');

    // What the browser got from Vigil: an evaluation id, nothing more.
    const answer = await (await evaluateResponse).json();
    expect(Object.keys(answer)).toEqual(['evaluation_id']);
    firstEvaluationId = answer.evaluation_id;
    // The SDK talks to the customer's Vigil server and the shop, and to nothing else.
    expect(requests.every((url) => url.startsWith(vigil.url) || url.startsWith(shopUrl))).toBe(true);

    const { body: evaluation } = await readEvaluation(firstEvaluationId);
    expect(evaluation).toMatchObject({
      action: 'login',
      verdict: 'allow',
      user: { id: 'alice' },
      ip: '127.0.0.1',
      origin: shopUrl,
      consumed: true,
      device: expect.stringMatching(/^dv_/),
      fingerprint: expect.stringMatching(/^fp_/),
      checks: {
        is_new_user: true,
        is_new_device: true,
        missing_nonce: false,
        unknown_nonce: false,
        consumed_nonce: false,
        nonce_session_mismatch: false,
        missing_cookie: false,
      },
    });
    expect(evaluation.user_agent).toContain('Chrome');
    await page.close();
  });

  it('knows alice on her second login from the same browser', async () => {
    const page = await openLoginPage();
    const id = await evaluateInPage(page, 'login', 'alice');
    const { body } = await readEvaluation(id);
    expect(body.checks).toMatchObject({ is_new_user: false, is_new_device: false, is_new_fingerprint: false, is_new_ip: false });
    await page.close();
  });

  it('refuses a replayed (already consumed) evaluation', async () => {
    const page = await openLoginPage();
    const replay = await postLogin(page, { username: 'alice', password: 'wonderland', evaluation_id: firstEvaluationId });
    expect(replay).toEqual({ status: 403, body: { error: 'evaluation not accepted' } });
    await page.close();
  });

  it('refuses a tampered evaluation id', async () => {
    const page = await openLoginPage();
    const id = await evaluateInPage(page, 'login', 'alice');
    const tampered = `${id.slice(0, -1)}${id.endsWith('a') ? 'b' : 'a'}`;
    for (const evaluation_id of [tampered, `${id}/../../x`, 'ev_', '']) {
      const res = await postLogin(page, { username: 'alice', password: 'wonderland', evaluation_id });
      expect(res.status, evaluation_id).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    // The untampered one was never consumed by those attempts, and still logs alice in once.
    expect(await postLogin(page, { username: 'alice', password: 'wonderland', evaluation_id: id })).toEqual({ status: 200, body: { user: 'alice' } });
    await page.close();
  });

  it("refuses an evaluation made for another user, even with that user's right password", async () => {
    const page = await openLoginPage();
    const id = await evaluateInPage(page, 'login', 'alice');
    expect(await postLogin(page, { username: 'bob', password: 'builder', evaluation_id: id })).toEqual({ status: 403, body: { error: 'evaluation not accepted' } });
    await page.close();
  });

  it('refuses an evaluation made for another action', async () => {
    const page = await openLoginPage();
    const id = await evaluateInPage(page, 'signup', 'bob');
    expect(await postLogin(page, { username: 'bob', password: 'builder', evaluation_id: id })).toEqual({ status: 403, body: { error: 'evaluation not accepted' } });
    await page.close();
  });

  it('refuses pages on an origin the project does not allow', async () => {
    const page = await context.newPage();
    // The same shop reached as localhost is another origin than the allowed 127.0.0.1 one.
    await page.goto(shopUrl.replace('127.0.0.1', 'localhost'));
    const error = await page.evaluate(async () => {
      const w = window as unknown as { vigil: { evaluate: { login(o: { user: string }): Promise<unknown> } } };
      try {
        await w.vigil.evaluate.login({ user: 'alice' });
        return null;
      } catch (e) {
        return { code: (e as { code?: string }).code, status: (e as { status?: number }).status };
      }
    });
    expect(error).toEqual({ code: 'ORIGIN_NOT_ALLOWED', status: 403 });
    await page.close();
  });
});
