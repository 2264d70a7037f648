import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.js';
import { type ShopWithVigil, startShopWithVigil } from './support/shop.js';

// Replay, red-teamed from a real Chromium: an attacker at the keyboard captures the SDK's evaluate
// request and plays it again, with the same nonce, a made-up one, none, another session's, no cookie,
// or after the nonce expired. Each raises its check and the replay_attack risk, and with a policy on
// that risk the replay never gets the original's verdict.
let setup: ShopWithVigil;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let captured: { body: Record<string, unknown>; evaluationId: string };

beforeAll(async () => {
  setup = await startShopWithVigil('replay', { VIGIL_NONCE_TTL_SECONDS: '5' });
  const res = await fetch(`${setup.vigil.url}/v3/policies`, {
    method: 'POST',
    headers: { authorization: `Bearer ${setup.project.secret_key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Deny replays',
      events: ['*'],
      priority: 1,
      conditions: { field: 'risk:replay_attack', operator: 'gte', value: 'high' },
      action: { type: 'deny' },
    }),
  });
  expect(res.status).toBe(201);
  browser = await launchChromium();
  context = await browser.newContext();
  page = await context.newPage();
  await page.goto(setup.shopUrl);
  const request = page.waitForRequest((r) => r.url().endsWith('/v3/client/evaluate'));
  const answer = await page.evaluate(() =>
    (window as unknown as { vigil: { evaluate: { login(o: { user: string }): Promise<{ evaluation_id: string }> } } }).vigil.evaluate.login({ user: 'alice' }),
  );
  captured = { body: JSON.parse((await request).postData()!), evaluationId: answer.evaluation_id };
});
afterAll(async () => {
  await browser?.close();
  await setup?.stop();
});

/** Sends an evaluate request from the page, as the attacker's script would, and reads what Vigil decided. */
async function send(from: Page, body: Record<string, unknown>, credentials: RequestCredentials = 'include') {
  const answer = await from.evaluate(
    async ({ url, body, credentials }) => {
      const res = await fetch(url, { method: 'POST', credentials, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return res.json();
    },
    { url: `${setup.vigil.url}/v3/client/evaluate`, body, credentials },
  );
  const res = await fetch(`${setup.vigil.url}/v3/evaluations/${answer.evaluation_id}`, { headers: { authorization: `Bearer ${setup.project.secret_key}` } });
  return { answer, evaluation: await res.json() };
}
const replayRisk = (evaluation: { risks: { category: string; severity: string }[] }) => evaluation.risks.find((r) => r.category === 'replay_attack')!.severity;

describe('replayed evaluations', () => {
  it('the original was allowed', async () => {
    const res = await fetch(`${setup.vigil.url}/v3/evaluations/${captured.evaluationId}`, { headers: { authorization: `Bearer ${setup.project.secret_key}` } });
    expect(await res.json()).toMatchObject({ verdict: 'allow', checks: { consumed_nonce: false, missing_nonce: false } });
  });

  it('the same payload twice: consumed_nonce, and denied', async () => {
    const { answer, evaluation } = await send(page, captured.body);
    expect(Object.keys(answer)).toEqual(['evaluation_id']);
    expect(evaluation).toMatchObject({ verdict: 'deny', checks: { consumed_nonce: true }, policy: { name: 'Deny replays' } });
    expect(['high', 'maximum']).toContain(replayRisk(evaluation));
  });

  it('a made-up nonce, and none at all', async () => {
    expect((await send(page, { ...captured.body, nonce: 'made-up-nonce' })).evaluation).toMatchObject({ verdict: 'deny', checks: { unknown_nonce: true } });
    const { nonce: _nonce, ...withoutNonce } = captured.body;
    expect((await send(page, withoutNonce)).evaluation).toMatchObject({ verdict: 'deny', checks: { missing_nonce: true } });
  });

  it("another session's nonce, and no cookie", async () => {
    const other = await (await browser.newContext()).newPage();
    await other.goto(setup.shopUrl);
    const theirs = await other.evaluate(
      async ({ url, clientId }) =>
        (
          await (
            await fetch(url, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: clientId }) })
          ).json()
        ).nonce,
      { url: `${setup.vigil.url}/v3/client/nonce`, clientId: setup.project.client_id },
    );
    expect((await send(page, { ...captured.body, nonce: theirs })).evaluation).toMatchObject({ verdict: 'deny', checks: { nonce_session_mismatch: true } });
    const { evaluation } = await send(other, { ...captured.body }, 'omit');
    expect(evaluation.checks).toMatchObject({ missing_cookie: true });
    await other.close();
  });

  it('an expired nonce: session_expired', async () => {
    const fresh = await page.evaluate(
      async ({ url, clientId }) =>
        (
          await (
            await fetch(url, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: clientId }) })
          ).json()
        ).nonce,
      { url: `${setup.vigil.url}/v3/client/nonce`, clientId: setup.project.client_id },
    );
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    expect((await send(page, { ...captured.body, nonce: fresh })).evaluation.checks).toMatchObject({ session_expired: true });
  });
});
