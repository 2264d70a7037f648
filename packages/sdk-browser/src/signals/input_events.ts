import type { Collector } from './collector.js';
import { listen } from './listen.js';

// Counted from the moment the SDK loads: real input arrives with isTrusted true; events a script made
// with dispatchEvent (how naive bots "click") arrive with isTrusted false.
const counts = { trusted: 0, synthetic: 0 };
const count = (event: Event) => {
  if (event.isTrusted) counts.trusted++;
  else counts.synthetic++;
};
listen(Object.fromEntries(['pointerdown', 'mousedown', 'keydown', 'touchstart', 'click'].map((type) => [type, count])));

export const inputEvents: Collector = {
  name: 'input_events',
  stable: false,
  collect: () => ({ ...counts }),
};
