import type { Collector } from './collector.js';

// Common system fonts of Windows, macOS, Linux, Android and iOS: a desktop that has none of them is a
// bare (container, headless) environment, and which ones are present is a stable attribute.
// Kept short on purpose: every family the machine lacks costs a font-matching lookup (~4 ms each on
// Debian's Chromium the first time), and the whole collection has 150 ms.
const FONTS = ['Arial', 'Times New Roman', 'Courier New', 'Helvetica', 'Segoe UI', 'Calibri', 'Menlo', 'Roboto', 'DejaVu Sans', 'Liberation Sans', 'Noto Sans', 'Ubuntu'];
// Two fallbacks: a font that is the machine's default sans-serif still differs from its monospace.
const BASES = ['monospace', 'sans-serif'] as const;
const SAMPLE = 'mmmmmmmmmmlli10OQ@#';

/**
 * The common fonts the browser can render, found by measuring a sample in each font with each generic
 * fallback: a width unlike the fallback's means the font exists. Uses a canvas (no layout), ~1 ms.
 */
export const fonts: Collector = {
  name: 'fonts',
  stable: true,
  // ~30-50 ms the first time on Debian's Chromium: paid at the SDK's setup, not at the user's action.
  oncePerPage: true,
  collect: () => {
    const context = document.createElement('canvas').getContext('2d');
    if (!context) throw new Error('unsupported');
    const width = (font: string) => {
      context.font = `72px ${font}`;
      return context.measureText(SAMPLE).width;
    };
    const base = BASES.map((b) => width(b));
    return FONTS.filter((font) => BASES.some((b, i) => width(`"${font}", ${b}`) !== base[i]));
  },
};
