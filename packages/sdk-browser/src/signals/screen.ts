import type { Collector } from './collector.js';

// Not stable: zoom changes the CSS-pixel size of the screen and the pixel ratio, and a laptop moves
// between monitors. Sent as an attribute; only the colour depth goes into the fingerprint.
export const screenSize: Collector = {
  name: 'screen',
  stable: false,
  collect: () => ({ width: screen.width, height: screen.height, pixel_ratio: devicePixelRatio }),
};

export const colorDepth: Collector = {
  name: 'color_depth',
  stable: true,
  collect: () => screen.colorDepth,
};
