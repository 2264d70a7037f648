import type { Collector } from './collector.js';

// The server reads the User-Agent header too; the page's own value is sent so that a later check can
// compare the two (a proxy or extension that rewrites one but not the other).
export const userAgent: Collector = {
  name: 'user_agent',
  stable: false,
  collect: () => navigator.userAgent,
};
