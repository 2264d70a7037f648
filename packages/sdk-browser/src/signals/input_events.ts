import type { Collector } from './collector.js';

// Counted from the moment the SDK loads: real input arrives with isTrusted true; events a script made
// with dispatchEvent (how naive bots "click") arrive with isTrusted false.
const counts = { trusted: 0, synthetic: 0 };
let listening = false;

function listen(): void {
  if (listening || typeof document === 'undefined') return;
  listening = true;
  const count = (event: Event) => {
    if (event.isTrusted) counts.trusted++;
    else counts.synthetic++;
  };
  for (const type of ['pointerdown', 'mousedown', 'keydown', 'touchstart', 'click']) document.addEventListener(type, count, { capture: true, passive: true });
}
listen();

export const inputEvents: Collector = {
  name: 'input_events',
  stable: false,
  collect: () => ({ ...counts }),
};
