import type { Collector } from './collector.js';

// Which engine the page really runs in, from features no user-agent string can change: what a browser
// claiming to be another cannot hide.
export const engine: Collector = {
  name: 'engine',
  stable: false,
  collect: () => {
    const w = window as unknown as Record<string, unknown>;
    if ('mozInnerScreenX' in w) return 'gecko';
    if (typeof (w.chrome as unknown) === 'object' || 'webkitRequestFileSystem' in w) return 'blink';
    if ('webkitConvertPointFromNodeToPage' in w || 'GestureEvent' in w) return 'webkit';
    return 'unknown';
  },
};
