import type { Collector } from './collector.js';

export const hardware: Collector = {
  name: 'hardware',
  stable: true,
  collect: () => ({
    cores: navigator.hardwareConcurrency ?? null,
    // Chromium only; coarse (0.25 … 8) by design.
    memory_gb: (navigator as Navigator & { deviceMemory?: number }).deviceMemory ?? null,
    touch_points: navigator.maxTouchPoints ?? 0,
  }),
};
