import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.js';
import { plainChromium, plainFirefox } from './support/plain-browser.js';
import { type Evaluation, type ProbeSite, startProbeSite } from './support/probe-site.js';
import { startXvfb } from './support/xvfb.js';

// Each observation check made to fire in a real browser, beside a run of the same browser that keeps
// it quiet (the quiet runs of the plain browsers are in red-team.test.ts). Where a browser does a thing
// itself (Firefox's preferences, Chromium's flags) it does it here; where only another browser would
// (Brave's farbling), a page script does what that browser does.
let site: ProbeSite;
let xvfb: { display: string; stop(): void };
let browser: Browser;
beforeAll(async () => {
  [site, xvfb, browser] = await Promise.all([startProbeSite('observations'), startXvfb(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  xvfb?.stop();
  await site?.stop();
});

let runs = 0;
/** Opens the probe page in a browser and returns the evaluation its SDK made. */
async function evaluated(open: (url: string) => Promise<{ close(): Promise<unknown> }>): Promise<Evaluation> {
  const user = `run-${++runs}`;
  const reported = site.reported(user);
  const opened = await open(`${site.url}/?user=${user}`);
  try {
    return await site.evaluation(await reported);
  } finally {
    await opened.close();
  }
}

/** Headless Chromium's user agent without "Headless", as every bot that hides sends it. */
const CHROME_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

/** The probe page in a Playwright context, with a script that runs before the page's own. */
const inContext =
  (init?: () => void, options: Parameters<Browser['newContext']>[0] = {}) =>
  async (url: string): Promise<BrowserContext> => {
    const context = await browser.newContext(options);
    if (init) await context.addInitScript(init);
    await (await context.newPage()).goto(url);
    return context;
  };

describe('bot observations, made to fire', () => {
  it('fonts_empty_on_desktop: a Chromium whose fontconfig knows no fonts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-fonts-'));
    writeFileSync(join(dir, 'fonts.conf'), `<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><dir>${dir}</dir><cachedir>${dir}</cachedir></fontconfig>`);
    try {
      const e = await evaluated(async (url) => plainChromium(url, { display: xvfb.display, env: { FONTCONFIG_FILE: join(dir, 'fonts.conf') } }));
      expect(e.checks.fonts_empty_on_desktop).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bot_framework_globals, window_process_present and mediadevices_absent_modern_ua: what Selenium, Electron and stripped builds leave', async () => {
    const e = await evaluated(
      inContext(
        () => {
          (window as unknown as Record<string, unknown>).cdc_adoQpoasnfa76pfcZLmcfl_Array = Array;
          (window as unknown as Record<string, unknown>).process = { versions: { electron: '30.0.0', node: '20.0.0' }, type: 'renderer' };
          Object.defineProperty(Navigator.prototype, 'mediaDevices', { get: () => undefined });
        },
        { userAgent: CHROME_UA },
      ),
    );
    expect(e.checks).toMatchObject({ bot_framework_globals: true, window_process_present: true, mediadevices_absent_modern_ua: true });
  });

  it('uach_missing_on_chrome: a Chrome user agent without client hints', async () => {
    const e = await evaluated(inContext(() => Object.defineProperty(Navigator.prototype, 'userAgentData', { get: () => undefined }), { userAgent: CHROME_UA }));
    expect(e.checks.uach_missing_on_chrome).toBe(true);
  });
});

describe('tampering observations, made to fire', () => {
  it('engine_probe_mismatch and uach_vs_ua_mismatch: Chromium calling itself Firefox', async () => {
    const e = await evaluated(inContext(undefined, { userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0' }));
    expect(e.checks).toMatchObject({ engine_probe_mismatch: true, uach_vs_ua_mismatch: true });
    expect(['high', 'maximum']).toContain(e.risks.find((r) => r.category === 'tampering')?.severity);
  });

  it('prototype_integrity_fail from a worker: a navigator patched in the page only', async () => {
    const e = await evaluated(inContext(() => Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => 64 })));
    expect(e.checks.prototype_integrity_fail).toBe(true);
  });

  it('notifications_permission_spoof: Notification.permission faked, the Permissions API not', async () => {
    const e = await evaluated(inContext(() => Object.defineProperty(Notification, 'permission', { get: () => 'denied' })));
    expect(e.checks.notifications_permission_spoof).toBe(true);
  });
});

describe('anti-fingerprinting and incognito observations, made to fire', () => {
  it('brave_farbling_detected: canvas read-back with noise, as Brave adds it', async () => {
    const e = await evaluated(
      inContext(() => {
        const read = CanvasRenderingContext2D.prototype.getImageData;
        CanvasRenderingContext2D.prototype.getImageData = function (...args: Parameters<typeof read>) {
          const image = read.apply(this, args);
          for (let i = 0; i < image.data.length; i += 16) image.data[i] = image.data[i]! ^ 1;
          return image;
        };
      }),
    );
    expect(e.checks.brave_farbling_detected).toBe(true);
  });

  it('indexeddb_failures: a Firefox private window without IndexedDB, as Firefox was before 115', async () => {
    const e = await evaluated(async (url) => plainFirefox(url, { args: ['--private-window'], prefs: { 'dom.indexedDB.privateBrowsing.enabled': false } }));
    expect(e.checks.indexeddb_failures).toBe(true);
  });

  it('notifications_private_spoof: notifications denied before anyone asked', async () => {
    const e = await evaluated(async (url) => plainFirefox(url, { prefs: { 'permissions.default.desktop-notification': 2 } }));
    expect(e.checks.notifications_private_spoof).toBe(true);
  });

  it('languages_dedup_incognito: a Chromium that reports a single regional language', async () => {
    const e = await evaluated(async (url) => plainChromium(url, { args: ['--accept-lang=en-GB'] }));
    expect(e.checks.languages_dedup_incognito).toBe(true);
  });
});
