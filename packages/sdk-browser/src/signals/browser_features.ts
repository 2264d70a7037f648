import type { Collector } from './collector.js';

// Features every modern desktop browser has and automation builds often lack: User-Agent Client Hints
// (Chromium), navigator.mediaDevices, plugins, and a screen frame (the taskbar or dock).
export const browserFeatures: Collector = {
  name: 'browser_features',
  stable: false,
  collect: () => {
    const uaData = (navigator as Navigator & { userAgentData?: { brands?: { brand: string }[]; mobile?: boolean } }).userAgentData;
    const s = screen as Screen & { availLeft?: number; availTop?: number };
    return {
      ua_client_hints: uaData ? { brands: (uaData.brands ?? []).map((b) => b.brand), mobile: uaData.mobile ?? null } : null,
      media_devices: typeof navigator.mediaDevices === 'object' && navigator.mediaDevices !== null,
      plugins: navigator.plugins?.length ?? 0,
      screen_frame: [s.availTop ?? 0, s.availLeft ?? 0, screen.width - screen.availWidth, screen.height - screen.availHeight],
    };
  },
};
