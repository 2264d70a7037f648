import type { Collector } from './collector.js';

// A Node.js `process` in a page means Electron with node integration (or a test harness), not a browser.
export const processObject: Collector = {
  name: 'process_object',
  stable: false,
  collect: () => {
    const p = (window as unknown as { process?: { versions?: Record<string, string> } }).process;
    return typeof p === 'object' && p !== null && typeof p.versions === 'object';
  },
};
