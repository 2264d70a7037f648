import type { Page } from 'playwright-core';

/**
 * `npm run screenshots` runs the dashboard's e2e with VIGIL_SCREENSHOTS=1: each page is photographed
 * where the test has just seen it right, into docs/screenshots/. Otherwise this does nothing.
 */
export async function snap(page: Page, name: string): Promise<void> {
  if (!process.env.VIGIL_SCREENSHOTS) return;
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: new URL(`../../docs/screenshots/${name}.png`, import.meta.url).pathname, fullPage: true });
}
