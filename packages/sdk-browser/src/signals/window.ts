import type { Collector } from './collector.js';

/**
 * The window against its screen, now and when the SDK loaded. A browser's window fits its screen (a
 * maximised one overhangs by its invisible borders, 8 px a side on Windows); a headless or emulated one
 * is sized by its driver and can be larger than the screen it reports, or its page larger than itself.
 * The window's gap (outer minus inner size) at load lets the server see docked developer tools opened
 * during the flow rather than a sidebar or a tab strip that was always there.
 */
const gap = () => [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight];
const atLoad = typeof window === 'undefined' ? null : { gap: gap(), pixel_ratio: window.devicePixelRatio };

export const windowGeometry: Collector = {
  name: 'window',
  stable: false,
  collect: () => ({
    outer: [window.outerWidth, window.outerHeight],
    inner: [window.innerWidth, window.innerHeight],
    screen: [screen.width, screen.height],
    pixel_ratio: window.devicePixelRatio,
    gap: gap(),
    at_load: atLoad,
    has_focus: document.hasFocus(),
  }),
};
