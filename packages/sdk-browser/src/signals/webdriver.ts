import type { Collector } from './collector.js';

// Set by every WebDriver-, CDP- or Playwright-driven browser unless a stealth plugin hides it.
export const webdriver: Collector = {
  name: 'webdriver',
  stable: false,
  collect: () => navigator.webdriver === true,
};
