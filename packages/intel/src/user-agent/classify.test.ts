import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyUserAgent } from './classify.js';

const data = (file: string) => readFileSync(new URL(`../../fixtures/ua/${file}`, import.meta.url), 'utf8');

const chromeWindows = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
const iphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.6.1 Mobile/15E148 Safari/604.1';
const ipadAsMac = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 Safari/605.1.15';
const androidTablet = 'Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

describe('classifyUserAgent', () => {
  it('tells computers, phones and tablets apart', () => {
    expect(classifyUserAgent(chromeWindows)).toEqual({ browser: 'Chrome', os: 'Windows', deviceClass: 'computer', isBot: false });
    expect(classifyUserAgent(iphone)).toMatchObject({ deviceClass: 'mobile', os: 'iOS' });
    expect(classifyUserAgent(androidTablet).deviceClass).toBe('tablet');
  });

  it('calls an iPad asking for the desktop site a tablet when it has touch points, a Mac otherwise', () => {
    expect(classifyUserAgent(ipadAsMac).deviceClass).toBe('computer');
    expect(classifyUserAgent(ipadAsMac, { touchPoints: 5 }).deviceClass).toBe('tablet');
  });

  it('believes the Sec-CH-UA-Mobile hint over a desktop user agent', () => {
    expect(classifyUserAgent(chromeWindows, { mobile: true }).deviceClass).toBe('mobile');
  });

  it('knows bots, and puts them in the other class', () => {
    expect(classifyUserAgent('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)')).toMatchObject({ isBot: true, deviceClass: 'other' });
    expect(classifyUserAgent('curl/8.5.0').isBot).toBe(true);
  });
});

describe('accuracy over the public fixtures', () => {
  it('classes real traffic (intoli, weighted by share) by device', () => {
    const records = data('intoli_user_agents_2.1.198.jsonl')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { userAgent: string; deviceCategory: string; weight: number; platform: string });
    const expected = (c: string) => (c === 'desktop' ? 'computer' : c);
    const byClass = new Map<string, { right: number; all: number }>();
    let right = 0;
    let all = 0;
    for (const r of records) {
      // The platform is what the page sees (navigator.platform); touch is not recorded, so iPads asking for
      // desktop pages stay computers here: a floor, not a ceiling.
      const got = classifyUserAgent(r.userAgent).deviceClass;
      const want = expected(r.deviceCategory);
      const entry = byClass.get(want) ?? { right: 0, all: 0 };
      entry.all += r.weight;
      if (got === want) entry.right += r.weight;
      byClass.set(want, entry);
      all += r.weight;
      if (got === want) right += r.weight;
    }
    const report = [...byClass.entries()].map(([c, e]) => `${c} ${((e.right / e.all) * 100).toFixed(1)}%`).join(', ');
    console.log(`user agent device class (intoli, by share): overall ${((right / all) * 100).toFixed(1)}% — ${report}`);
    expect(right / all).toBeGreaterThan(0.95);
    for (const [c, e] of byClass) expect(e.right / e.all, c).toBeGreaterThan(0.85);
  });

  it('finds crawlers and lets browsers through (isbot fixtures)', () => {
    const crawlers = data('isbot_fixture_crawlers.txt')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const browsers = data('isbot_fixture_browsers.txt')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const caught = crawlers.filter((ua) => classifyUserAgent(ua).isBot).length / crawlers.length;
    const wrongly = browsers.filter((ua) => classifyUserAgent(ua).isBot).length / browsers.length;
    console.log(`bots: crawlers caught ${(caught * 100).toFixed(1)}%, browsers flagged ${(wrongly * 100).toFixed(1)}%`);
    expect(caught).toBeGreaterThan(0.97);
    expect(wrongly).toBeLessThan(0.02);
  });

  // uap-core's cases are the long tail (in-app browsers, mail clients, old phones), where ua-parser-js
  // often names the engine or nothing: a floor set at what it does today, so a regression shows.
  it('names the browser family as uap-core does, where it can', () => {
    const cases = data('uap_core_test_ua.jsonl')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { user_agent_string: string; family: string });
    // The two projects spell families differently ("Chrome Mobile" / "Chrome", "QQ Browser" / "QQBrowser").
    const norm = (name: string) =>
      name
        .toLowerCase()
        .replace(/\b(mobile|browser)\b/g, '')
        .replace(/[^a-z0-9]/g, '');
    const same = (a: string | null, b: string) => a !== null && norm(a) === norm(b);
    const right = cases.filter((c) => same(classifyUserAgent(c.user_agent_string).browser, c.family)).length / cases.length;
    console.log(`browser family vs uap-core: ${(right * 100).toFixed(1)}% of ${cases.length}`);
    expect(right).toBeGreaterThan(0.14);
  });
});
