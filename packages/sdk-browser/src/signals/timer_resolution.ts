import type { Collector } from './collector.js';

/**
 * The step performance.now() moves by, in milliseconds (rounded to 0.01). Browsers coarsen timers
 * against timing attacks to 0.1 ms (Chromium 156) or 1 ms (Firefox); Firefox's resistFingerprinting
 * coarsens them to 16.67 ms, with jitter. Busy-waits at most 70 ms (only a coarsened clock takes that
 * long); null when the clock did not tick twice in that time.
 */
export const timerResolution: Collector = {
  name: 'timer_resolution',
  stable: false,
  collect: () => {
    const start = performance.now();
    const ticks: number[] = [];
    let last = start;
    // Eight ticks: the smallest of seven steps, so a step stretched by a busy machine (the thread
    // descheduled mid-step) does not pass for a coarse clock. A 1 ms clock takes ~7 ms.
    while (ticks.length < 8 && performance.now() - start < 70) {
      const t = performance.now();
      if (t !== last) {
        last = t;
        ticks.push(t);
      }
    }
    // The first tick ends a partial interval; the full ones lie between ticks.
    if (ticks.length < 2) return null;
    const steps = ticks.slice(1).map((t, i) => t - ticks[i]!);
    return Math.round(Math.min(...steps) * 100) / 100;
  },
};
