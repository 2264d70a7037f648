import type { Collector } from './collector.js';

export const platform: Collector = {
  name: 'platform',
  stable: true,
  collect: () => navigator.platform ?? null,
};
