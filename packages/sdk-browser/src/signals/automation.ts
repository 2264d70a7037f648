import type { Collector } from './collector.js';

// Names that automation frameworks leave on window or document (Selenium, PhantomJS, Nightmare,
// Playwright, Puppeteer's ChromeDriver `cdc_` keys): the ones found, by name.
const windowNames = [
  '_phantom',
  'callPhantom',
  '__nightmare',
  'domAutomation',
  'domAutomationController',
  '_selenium',
  '_Selenium_IDE_Recorder',
  '__webdriver_evaluate',
  '__selenium_evaluate',
  '__webdriver_script_fn',
  '__driver_evaluate',
  '__fxdriver_evaluate',
  '__selenium_unwrapped',
  '__webdriver_unwrapped',
  '__driver_unwrapped',
  '__fxdriver_unwrapped',
  '__playwright__binding__',
  '__pwInitScripts',
];

export const automation: Collector = {
  name: 'automation',
  stable: false,
  collect: () => {
    const w = window as unknown as Record<string, unknown>;
    const found = windowNames.filter((name) => name in w);
    for (const key of Object.keys(document)) if (/^\$?cdc_|^\$wdc_/.test(key)) found.push(key);
    for (const key of Object.keys(w)) if (/^cdc_[a-zA-Z0-9]{22}_/.test(key) || key.startsWith('__playwright')) found.push(key);
    if (document.documentElement.getAttribute('webdriver') !== null) found.push('documentElement[webdriver]');
    return [...new Set(found)];
  },
};
