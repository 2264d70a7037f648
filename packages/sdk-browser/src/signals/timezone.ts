import type { Collector } from './collector.js';

export const timezone: Collector = {
  name: 'timezone',
  stable: true,
  // The first Intl call loads ICU data (60-90 ms cold on Debian's Chromium): paid at setup.
  oncePerPage: true,
  collect: () => Intl.DateTimeFormat().resolvedOptions().timeZone ?? null,
};
