import type { Collector } from './collector.js';
import { listen } from './listen.js';

/**
 * How the mouse reached each press, from the page's load to the action. A hand moves a mouse along a
 * curved path whose speed rises and falls, and lands somewhere near the middle of what it aims at. A
 * protocol-driven click (Input.dispatchMouseEvent, as Playwright, Puppeteer and their patched forks send)
 * jumps to the target's exact centre with no path before it, or glides there along a straight line in
 * equal steps when told to move "in steps". Only counts leave the page: no coordinates, no targets.
 */

// The last points of the pointer's path, enough to judge the approach to a press.
const RING = 8;
const xs = new Float64Array(RING);
const ys = new Float64Array(RING);

/** Exported for the SDK's unit tests and bench, which feed it events; the page's counts are `counts`. */
export interface PointerCounts {
  /** Trusted mouse moves, and the length of their path in CSS pixels. */
  moves: number;
  path_px: number;
  /** Trusted mouse presses (pointerdown), and of those: */
  presses: number;
  /** with fewer than 3 moves since the page loaded or the last press: no path at all. */
  without_path: number;
  /** reached along a straight line in equal steps (the last 4+ moves, 20+ px). */
  linear_path: number;
  /** within 1 px of the centre of the element pressed (or its control: a button, a link, a field). */
  at_centre: number;
  /** with a pressure of 0, which the Pointer Events spec rules out for a mouse with a button down. */
  pressure_zero: number;
  /** Presses by touch or pen: no path precedes a tap, so they are counted apart and judged by nothing. */
  touch: number;
}

export const counts: PointerCounts = { moves: 0, path_px: 0, presses: 0, without_path: 0, linear_path: 0, at_centre: 0, pressure_zero: 0, touch: 0 };
let sincePress = 0;

export function onPointerMove(event: PointerEvent): void {
  if (!event.isTrusted || event.pointerType !== 'mouse') return;
  const at = counts.moves % RING;
  if (counts.moves > 0) {
    const last = (counts.moves - 1) % RING;
    counts.path_px += Math.hypot(event.clientX - xs[last]!, event.clientY - ys[last]!);
  }
  xs[at] = event.clientX;
  ys[at] = event.clientY;
  counts.moves++;
  sincePress++;
}

/** The last `n` points make a straight line travelled in equal steps: what interpolated "steps" give. */
function linear(n: number): boolean {
  const point = (k: number) => (counts.moves - n + k) % RING;
  const first = point(0);
  const last = point(n - 1);
  const chord = Math.hypot(xs[last]! - xs[first]!, ys[last]! - ys[first]!);
  if (chord < 20) return false;
  const steps: number[] = [];
  let deviation = 0;
  for (let k = 1; k < n; k++) {
    const a = point(k - 1);
    const b = point(k);
    steps.push(Math.hypot(xs[b]! - xs[a]!, ys[b]! - ys[a]!));
    // Distance of the point from the chord: a hand's path bows and wobbles by pixels.
    deviation = Math.max(deviation, Math.abs((xs[last]! - xs[first]!) * (ys[first]! - ys[b]!) - (xs[first]! - xs[b]!) * (ys[last]! - ys[first]!)) / chord);
  }
  const mean = steps.reduce((s, x) => s + x, 0) / steps.length;
  const spread = Math.sqrt(steps.reduce((s, x) => s + (x - mean) ** 2, 0) / steps.length) / mean;
  return deviation <= 0.5 && spread < 0.05;
}

const CONTROL = 'button,a,input,select,textarea,label,summary,[role=button],[role=link],[role=checkbox]';

export function onPointerDown(event: PointerEvent): void {
  if (!event.isTrusted) return;
  if (event.pointerType !== 'mouse') {
    counts.touch++;
    return;
  }
  counts.presses++;
  if (event.pressure === 0) counts.pressure_zero++;
  const moves = Math.min(sincePress, RING);
  if (sincePress < 3) counts.without_path++;
  else if (moves >= 4 && linear(moves)) counts.linear_path++;
  sincePress = 0;
  const target = event.target instanceof Element ? (event.target.closest(CONTROL) ?? event.target) : null;
  if (target) {
    const box = target.getBoundingClientRect();
    if (Math.abs(event.clientX - (box.left + box.width / 2)) <= 1 && Math.abs(event.clientY - (box.top + box.height / 2)) <= 1) counts.at_centre++;
  }
}

listen({ pointermove: onPointerMove, pointerdown: onPointerDown });

export const pointer: Collector = {
  name: 'pointer',
  stable: false,
  collect: () => ({ ...counts, path_px: Math.round(counts.path_px) }),
};
