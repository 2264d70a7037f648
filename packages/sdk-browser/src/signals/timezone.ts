import type { Collector } from './collector.js';

export const timezone: Collector = {
  name: 'timezone',
  stable: true,
  collect: () => Intl.DateTimeFormat().resolvedOptions().timeZone ?? null,
};
