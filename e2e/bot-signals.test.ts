import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.js';
import { type ShopWithVigil, startShopWithVigil } from './support/shop.js';

// The browser SDK's signals from a real, automated Chromium (playwright-core driving Debian's
// Chromium headless): the evaluation must see the automation.
let setup: ShopWithVigil;
let browser: Browser;
beforeAll(async () => {
  setup = await startShopWithVigil('bot');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await setup?.stop();
});

async function evaluationFrom(page: import('playwright-core').Page) {
  await page.goto(setup.shopUrl);
  const answer = await page.evaluate(async () => {
    const w = window as unknown as { vigil: { evaluate: { login(o: { user: string }): Promise<Record<string, unknown>> } } };
    return w.vigil.evaluate.login({ user: 'robot' });
  });
  const res = await fetch(`${setup.vigil.url}/v3/evaluations/${answer.evaluation_id}`, { headers: { authorization: `Bearer ${setup.project.secret_key}` } });
  return { answer, evaluation: await res.json() };
}

describe('tampering observations in a real Chromium', () => {
  it('sees no tampering in a plain page', async () => {
    const page = await browser.newPage();
    const { evaluation } = await evaluationFrom(page);
    expect(evaluation.checks).toMatchObject({ prototype_integrity_fail: false, math_random_patched: false, plugin_prototype_mismatch: false, engine_probe_mismatch: false });
    await page.close();
  });

  it('catches the patches a stealth script makes, with a pristine toString from an iframe', async () => {
    const page = await browser.newPage();
    await page.addInitScript(() => {
      // What stealth plugins do: hide webdriver, fake permissions, plugins and randomness.
      Object.defineProperty(Navigator.prototype, 'webdriver', { get: () => false });
      const query = navigator.permissions.query.bind(navigator.permissions);
      navigator.permissions.query = (d: PermissionDescriptor) => query(d);
      Math.random = () => 0.5;
      Object.defineProperty(navigator, 'plugins', { get: () => [{ name: 'Chrome PDF Plugin' }] });
      // ...and hide their own traces from the page's toString.
      const nativeToString = Function.prototype.toString;
      Function.prototype.toString = function () {
        return this === navigator.permissions.query || this === Math.random ? 'function () { [native code] }' : nativeToString.call(this);
      };
    });
    const { evaluation } = await evaluationFrom(page);
    expect(evaluation.checks).toMatchObject({ navigator_webdriver_true: false, prototype_integrity_fail: true, math_random_patched: true, plugin_prototype_mismatch: true });
    expect(evaluation.risks.find((r: { category: string }) => r.category === 'tampering').severity).not.toBe('low');
    await page.close();
  });
});

describe('synthetic input in a real Chromium', () => {
  it('tells a real (CDP) click from one a script dispatched', async () => {
    const login = async (scripted: boolean) => {
      const page = await browser.newPage();
      await page.goto(setup.shopUrl);
      await page.getByLabel('Username').fill('alice');
      await page.getByLabel('Password').fill('wonderland');
      const evaluated = page.waitForResponse((r) => r.url().endsWith('/v3/client/evaluate'));
      if (scripted) await page.evaluate(() => document.querySelector('button')!.dispatchEvent(new MouseEvent('click', { bubbles: true })));
      else await page.getByRole('button', { name: 'Log in' }).click();
      const id = (await (await evaluated).json()).evaluation_id;
      await page.close();
      const res = await fetch(`${setup.vigil.url}/v3/evaluations/${id}`, { headers: { authorization: `Bearer ${setup.project.secret_key}` } });
      return (await res.json()).checks.event_istrusted_synthetic;
    };
    expect(await login(false)).toBe(false);
    expect(await login(true)).toBe(true);
  });
});

describe('bot observations in a real automated Chromium', () => {
  it('flags webdriver and the bot risk, and sends the browser nothing about it', async () => {
    const page = await browser.newPage();
    await page.goto(setup.shopUrl);
    const answer = await page.evaluate(async () => {
      const w = window as unknown as { vigil: { evaluate: { login(o: { user: string }): Promise<Record<string, unknown>> } } };
      return w.vigil.evaluate.login({ user: 'robot' });
    });
    expect(Object.keys(answer)).toEqual(['evaluation_id']);
    const res = await fetch(`${setup.vigil.url}/v3/evaluations/${answer.evaluation_id}`, { headers: { authorization: `Bearer ${setup.project.secret_key}` } });
    const evaluation = await res.json();
    expect(evaluation.checks).toMatchObject({ navigator_webdriver_true: true, window_process_present: false });
    expect(typeof evaluation.checks.webgl_swiftshader_renderer).toBe('boolean');
    const bot = evaluation.risks.find((r: { category: string }) => r.category === 'bot');
    expect(['high', 'maximum']).toContain(bot.severity);
    expect(bot.contributions.map((c: { check: string }) => c.check)).toContain('navigator_webdriver_true');
    await page.close();
  });
});
