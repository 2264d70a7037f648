// Screenshots of the hosted challenge page, one per thing a user sees, for docs/challenges.md:
//   npm run screenshots --workspace @vigil/server
// The page is server-rendered by renderPage from plain state, so each view is rendered here as the
// server renders it and photographed in Chromium at a phone's width (the page is phone-first).
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { type PageState, renderPage } from '../src/routes/challenge-page/html.js';

const out = new URL('../../../docs/screenshots/', import.meta.url);
const base: PageState = { projectName: 'Example shop', challengeId: 'ch_demo', token: 't', channels: ['email', 'sms'], view: 'send', destination: 'a••••@example.com' };
const views: [name: string, state: PageState][] = [
  ['challenge-1-send', base],
  ['challenge-2-enter-code', { ...base, view: 'enter_code', notice: 'We sent a code to a••••@example.com. It expires in 10 minutes.' }],
  ['challenge-3-wrong-code', { ...base, view: 'enter_code', alert: 'That code is not right. 4 attempts left.' }],
  ['challenge-4-completed', { ...base, view: 'completed', successUrl: 'https://shop.example/login/verified?evaluation=ev_demo' }],
  ['challenge-5-failed', { ...base, view: 'failed', alert: 'The code was wrong five times.' }],
  ['challenge-6-link-invalid', { ...base, view: 'link_invalid', alert: 'This link has expired. Go back to the application and try again.' }],
  [
    'challenge-7-device-limit',
    {
      ...base,
      view: 'devices',
      deviceLimit: 2,
      ownAccountUrl: 'https://shop.example/signup',
      devices: [
        { id: 'dv_1', label: 'Computer · Chrome on Windows', place: 'near 59.9°N 10.8°E', lastSeen: '2026-11-25 08:12 UTC', current: false },
        { id: 'dv_2', label: 'Phone · Mobile Safari on iOS', place: 'near 60.4°N 5.3°E', lastSeen: '2026-11-24 21:40 UTC', current: false },
        { id: 'dv_3', label: 'Computer · Chrome on Linux', place: 'near 35.7°N 139.7°E', lastSeen: '2026-11-25 09:30 UTC', current: true },
      ],
    },
  ],
  ['challenge-8-device-logged-out', { ...base, view: 'completed', notice: 'Computer · Chrome on Windows was logged out.', successUrl: 'https://shop.example/members' }],
];

mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const page = await browser.newPage({ viewport: { width: 420, height: 640 }, deviceScaleFactor: 1 });
for (const [name, state] of views) {
  await page.setContent(renderPage(state));
  await page.screenshot({ path: new URL(`${name}.png`, out).pathname, fullPage: true });
  console.log(`docs/screenshots/${name}.png`);
}
await browser.close();
