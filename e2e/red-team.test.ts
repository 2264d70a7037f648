import puppeteerCore from 'puppeteer-core';
import { addExtra } from 'puppeteer-extra';
import StealthPlugin from 'puppeteer-extra-plugin-stealth';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainChromium, plainFirefox } from './support/plain-browser.js';
import { type Evaluation, type ProbeSite, startProbeSite } from './support/probe-site.js';
import { startXvfb } from './support/xvfb.js';

// The red team of issue 6: real automation tools and real browsers without automation, each loading a
// page that runs the SDK, and what Vigil concluded. A risk is raised at high or maximum, quiet at low.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const OBSERVED = ['bot', 'tampering', 'anti_fingerprinting', 'incognito', 'replay_attack'] as const;
type Observed = (typeof OBSERVED)[number];

let site: ProbeSite;
let xvfb: { display: string; stop(): void };
const table = new Map<string, Evaluation>();

beforeAll(async () => {
  [site, xvfb] = await Promise.all([startProbeSite('red-team'), startXvfb()]);
});
afterAll(async () => {
  if (table.size > 0) console.log(render());
  xvfb?.stop();
  await site?.stop();
});

const severity = (evaluation: Evaluation, risk: Observed) => evaluation.risks.find((r) => r.category === risk)?.severity;
const raised = (evaluation: Evaluation, risk: Observed) => ['high', 'maximum'].includes(severity(evaluation, risk) ?? '');

/** The observation checks that held in an evaluation: what made its risks. */
const firing = (e: Evaluation) => OBSERVED.flatMap((risk) => (e.risks.find((r) => r.category === risk) as { contributions?: { check: string }[] } | undefined)?.contributions?.map((c) => c.check) ?? []);

function render(): string {
  const rows = [...table].map(([run, e]) => `| ${run} | ${OBSERVED.map((r) => `${severity(e, r)}${raised(e, r) ? ' ▲' : ''}`).join(' | ')} | ${[...new Set(firing(e))].join(', ')} |`);
  return ['red team: runs × observed risks (▲ raised)', `| run | ${OBSERVED.join(' | ')} | checks that held |`, `|---|${OBSERVED.map(() => '---').join('|')}|---|`, ...rows].join('\n');
}

/** Runs one browser against the probe page as `user`, and records what Vigil concluded. */
async function run(name: string, user: string, open: (url: string) => Promise<{ close(): Promise<unknown> }>): Promise<Evaluation> {
  const reported = site.reported(user);
  const browser = await open(`${site.url}/?user=${user}`);
  try {
    const evaluation = await site.evaluation(await reported);
    table.set(name, evaluation);
    return evaluation;
  } finally {
    await browser.close();
  }
}

describe('red team: automation tools raise bot or tampering', () => {
  it('playwright-core driving Chromium headless raises bot', async () => {
    const e = await run('playwright, headless', 'pw-headless', async (url) => {
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
      await (await browser.newPage()).goto(url);
      return browser;
    });
    expect(e.checks).toMatchObject({ navigator_webdriver_true: true });
    expect(raised(e, 'bot')).toBe(true);
  });

  it('playwright-core driving Chromium headful under Xvfb raises bot', async () => {
    const e = await run('playwright, headful (Xvfb)', 'pw-headful', async (url) => {
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: false, env: { ...process.env, DISPLAY: xvfb.display } as Record<string, string> });
      await (await browser.newPage()).goto(url);
      return browser;
    });
    expect(e.checks).toMatchObject({ navigator_webdriver_true: true, ua_is_bot: false });
    expect(raised(e, 'bot')).toBe(true);
  });

  it('puppeteer-core with puppeteer-extra-plugin-stealth raises bot or tampering', async () => {
    const e = await run('puppeteer + stealth, headless', 'stealth', async (url) => {
      const puppeteer = addExtra(puppeteerCore as never);
      puppeteer.use(StealthPlugin());
      const browser = await puppeteer.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
      await (await browser.newPage()).goto(url);
      return browser;
    });
    // Stealth hides webdriver; what gives it away is its own patching.
    expect(e.checks).toMatchObject({ navigator_webdriver_true: false });
    expect(raised(e, 'bot') || raised(e, 'tampering')).toBe(true);
  });
});

describe('red team: browsers without automation', () => {
  it('a plain Chromium under Xvfb, its page running the SDK by itself, raises nothing', async () => {
    const e = await run('plain Chromium (Xvfb)', 'plain-chromium', async (url) => plainChromium(url, { display: xvfb.display }));
    for (const risk of OBSERVED) expect(severity(e, risk), risk).toBe('low');
    expect(e.checks).toMatchObject({ navigator_webdriver_true: false, prototype_integrity_fail: false, storage_quota_incognito: false, devtools_open_during_flow: false, fonts_empty_on_desktop: false });
  });

  it('a plain Chromium --incognito raises incognito, from its in-memory IndexedDB', async () => {
    const e = await run('plain Chromium --incognito (Xvfb)', 'incognito-chromium', async (url) => plainChromium(url, { display: xvfb.display, args: ['--incognito'] }));
    expect(e.checks).toMatchObject({ storage_quota_incognito: true });
    expect(raised(e, 'incognito')).toBe(true);
    expect(severity(e, 'bot')).toBe('low');
  });

  it('a plain firefox-esr raises nothing', async () => {
    const e = await run('plain firefox-esr (headless)', 'plain-firefox', async (url) => plainFirefox(url));
    for (const risk of OBSERVED) expect(severity(e, risk), risk).toBe('low');
    expect(e.checks).toMatchObject({ firefox_rfp_detected: false, firefox_etp_timer: false, storage_quota_incognito: false });
  });

  it('firefox-esr with resistFingerprinting raises anti_fingerprinting', async () => {
    const e = await run('firefox-esr resistFingerprinting', 'rfp-firefox', async (url) => plainFirefox(url, { prefs: { 'privacy.resistFingerprinting': true } }));
    expect(e.checks.firefox_rfp_detected).toBe(true);
    // The 16.67 ms timer needs two ticks within the probe's 70 ms; a machine too loaded to give them
    // leaves the check absent (unknown), never false.
    expect(e.checks.firefox_etp_timer).not.toBe(false);
    expect(raised(e, 'anti_fingerprinting')).toBe(true);
    expect(severity(e, 'bot')).toBe('low');
  });

  it('a firefox-esr private window raises incognito, from its refused origin-private file system', async () => {
    const e = await run('firefox-esr --private-window', 'private-firefox', async (url) => plainFirefox(url, { args: ['--private-window'] }));
    expect(e.checks).toMatchObject({ storage_quota_incognito: true });
    expect(raised(e, 'incognito')).toBe(true);
  });
});

describe('red team: a replayed request', () => {
  it('the headless run’s evaluate request sent again raises replay_attack', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    const page = await browser.newPage();
    const reported = site.reported('replayed');
    const request = page.waitForRequest((r) => r.url().endsWith('/v3/client/evaluate'));
    await page.goto(`${site.url}/?user=replayed`);
    const original = await request;
    await reported;
    const replayed = await page.evaluate(
      async ({ url, body }) => (await fetch(url, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body })).json(),
      { url: original.url(), body: original.postData()! },
    );
    await browser.close();
    const e = await site.evaluation(replayed.evaluation_id);
    table.set('replay of the headless run', e);
    expect(e.checks).toMatchObject({ consumed_nonce: true });
    expect(raised(e, 'replay_attack')).toBe(true);
  });
});
