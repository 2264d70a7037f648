import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error the example is plain JavaScript, without type declarations
import { createAccessExample } from '../examples/access/server.js';
import { launchChromium } from './support/browser.js';
import { shows } from './support/page-text.js';
import { type ShopWithVigil, startShopWithVigil } from './support/shop.js';

// Access protection with a device limit, end to end and client-side only: the access example's members
// area in three Chromium profiles (three devices) against a limit of two. The third device is sent to
// the hosted page, logs the first out and comes back; the first device's next visit calls on_logout
// (the app ends its session) and lands on the policy's logout_url.
let setup: ShopWithVigil;
let browser: Browser;

// Profiles of one Chromium on one machine share a fingerprint, and Vigil rightly takes them for one
// device; a time zone and languages of their own make each a device of its own (and the user agent
// names it on the hosted page).
const PROFILE = {
  windows: {
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
    timezoneId: 'Europe/Oslo',
    locale: 'nb-NO',
  },
  mac: {
    userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
    timezoneId: 'America/New_York',
    locale: 'en-US',
  },
  linux: { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36', timezoneId: 'Asia/Tokyo', locale: 'ja-JP' },
  another: { timezoneId: 'Australia/Sydney', locale: 'en-AU' },
};

/** A device: its own browser profile, signed in to the members area as alice. */
async function device(profile: (typeof PROFILE)[keyof typeof PROFILE]): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(profile);
  const page = await context.newPage();
  await page.goto(setup.shopUrl);
  await page.getByLabel('Your name').fill('alice');
  await page.getByRole('button', { name: 'Sign in' }).click();
  return { context, page };
}

beforeAll(async () => {
  setup = await startShopWithVigil('access', {}, createAccessExample);
  browser = await launchChromium();
  const policy = await setup.api('POST', '/v3/policies', {
    name: 'Two devices per account',
    events: ['access'],
    priority: 1,
    conditions: { field: 'device_count', operator: 'gt', value: 2 },
    action: { type: 'challenge', challenge: { type: 'device_limit', device_limit: 2, logout_url: `${setup.shopUrl}/logged-out`, success_url: `${setup.shopUrl}/signup` } },
  });
  expect(policy.status, JSON.stringify(policy.body)).toBe(201);
});
afterAll(async () => {
  await browser?.close();
  await setup?.stop();
});

describe('access protection: a device limit of two', () => {
  it('sends the third device to the hosted page, logs the first out there, and the first device ends its session at its next visit', async () => {
    const first = await device(PROFILE.windows);
    await shows(first.page.getByRole('status'), 'Welcome back, alice.');
    const second = await device(PROFILE.mac);
    await shows(second.page.getByRole('status'), 'Welcome back, alice.');

    // The third device: the SDK follows the challenge itself.
    const third = await device(PROFILE.linux);
    await third.page.waitForURL(/\/challenge\/ch_[^?]+\?t=.*&r=/, { timeout: 15_000 });
    await shows(third.page.getByRole('heading'), 'Too many devices');
    const list = third.page.locator('.devices li');
    await expect.poll(() => list.count()).toBe(3);
    await shows(list.filter({ hasText: 'this device' }), /Computer · Chrome on Linux · this device/);
    expect(await third.page.getByRole('link', { name: 'Get your own' }).getAttribute('href')).toMatch(new RegExp(`^${setup.shopUrl}/signup\\?evaluation=ev_`));

    await third.page.getByRole('button', { name: 'Log out Computer · Chrome on Windows' }).click();
    await shows(third.page.getByRole('heading'), "You're all set");
    await shows(third.page.getByRole('status'), 'Computer · Chrome on Windows was logged out.');
    // Back to the members area, where the visit is now within the limit.
    await third.page.getByRole('link', { name: 'Continue' }).click();
    await third.page.waitForURL(`${setup.shopUrl}/`);
    await shows(third.page.getByRole('status'), 'Welcome back, alice.');

    // The logged-out device: on_logout ends the app's session, then the SDK goes to logout_url.
    await first.page.reload();
    await first.page.waitForURL(`${setup.shopUrl}/logged-out`, { timeout: 15_000 });
    await shows(first.page.getByRole('status'), /You were logged out on this device/);
    expect((await first.context.cookies()).find((c) => c.name === 'example_session')).toBeUndefined();
    // The second device was left alone.
    await second.page.reload();
    await shows(second.page.getByRole('status'), 'Welcome back, alice.');

    const devices = (await setup.api('GET', '/v3/user/alice/devices')).body.data as { user_agent: string; logged_out_at: string | null }[];
    expect(devices).toHaveLength(3);
    for (const d of [first, second, third]) await d.context.close();
  });

  it("returns the user only to the project's own origins", async () => {
    const { context, page } = await device(PROFILE.another);
    // This profile is a new (fourth) device: challenged again.
    await page.waitForURL(/\/challenge\/ch_/, { timeout: 15_000 });
    const link = new URL(page.url());
    link.searchParams.set('r', 'https://evil.example/phish');
    await page.goto(link.href);
    await shows(page.getByRole('heading'), 'Too many devices');
    expect(await page.locator('input[name="r"]').count()).toBe(0);
    await context.close();
  });
});

describe('access protection on a project that lists no allowed origins (the default project)', () => {
  let open: ShopWithVigil;
  beforeAll(async () => {
    open = await startShopWithVigil('access-any-origin', {}, createAccessExample, { anyOrigin: true });
    const policy = await open.api('POST', '/v3/policies', {
      name: 'One device per account',
      events: ['access'],
      priority: 1,
      conditions: { field: 'device_count', operator: 'gt', value: 1 },
      action: { type: 'challenge', challenge: { type: 'device_limit', device_limit: 1, success_url: `${open.shopUrl}/signup` } },
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);
  });
  afterAll(() => open?.stop());

  const signIn = async (profile: (typeof PROFILE)[keyof typeof PROFILE]) => {
    const context = await browser.newContext(profile);
    const page = await context.newPage();
    await page.goto(`${open.shopUrl}/`);
    await page.getByLabel('Your name').fill('bob');
    await page.getByRole('button', { name: 'Sign in' }).click();
    return { context, page };
  };

  it('returns the user to the page they were on, the origin their evaluation came from, and never to a planted one', async () => {
    const first = await signIn(PROFILE.windows);
    await shows(first.page.getByRole('status'), 'Welcome back, bob.');
    const second = await signIn(PROFILE.mac);
    await second.page.waitForURL(/\/challenge\/ch_[^?]+\?t=.*&r=/, { timeout: 15_000 });
    const link = second.page.url();

    // A planted return address is dropped: another site, or a page of this one under another scheme.
    for (const planted of ['https://evil.example/phish', 'javascript:alert(1)']) {
      const tampered = new URL(link);
      tampered.searchParams.set('r', planted);
      await second.page.goto(tampered.href);
      await shows(second.page.getByRole('heading'), 'Too many devices');
      expect(await second.page.locator('input[name="r"]').count()).toBe(0);
    }

    await second.page.goto(link);
    await second.page.getByRole('button', { name: 'Log out Computer · Chrome on Windows' }).click();
    await shows(second.page.getByRole('heading'), "You're all set");
    // Back to the page, not to the policy's success URL.
    expect(await second.page.getByRole('link', { name: 'Continue' }).getAttribute('href')).toBe(`${open.shopUrl}/`);
    await second.page.getByRole('link', { name: 'Continue' }).click();
    await second.page.waitForURL(`${open.shopUrl}/`);
    await shows(second.page.getByRole('status'), 'Welcome back, bob.');
    await first.context.close();
    await second.context.close();
  });
});
