import type { Collector } from './collector.js';
import { listen } from './listen.js';

/**
 * How the mouse reached each press, from the page's load to the action. A hand moves a mouse along a
 * curved path whose speed rises and falls, and lands somewhere near the middle of what it aims at. A
 * protocol-driven click (Input.dispatchMouseEvent, as Playwright, Puppeteer and their patched forks send)
 * jumps to the target's exact centre with no path before it, or glides there along a straight line in
 * equal steps when told to move "in steps". Only counts leave the page: no coordinates, no targets.
 */

// The last points of the pointer's path, enough to judge the approach to a press (tools move in 10–50
// steps; a hand's approach at 60–125 Hz takes 20–60 events).
const RING = 32;
// The shortest tail judged: 6 moves (5 steps) covering 20 px. A hand slowing onto its target makes steps
// that shrink; tools move in 10–50 equal steps.
const TAIL = 6;
const TAIL_PX = 20;
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
  /** with a path long enough to judge (its last 6+ moves cover 20+ px), and of those, */
  judged_path: number;
  /** reached at the end along a straight line in equal steps (6+ moves, 20+ px). */
  linear_path: number;
  /** within 1 px of the centre of the element pressed (or its control: a button, a link, a field). */
  at_centre: number;
  /** with a pressure of 0, which the Pointer Events spec rules out for a mouse with a button down. */
  pressure_zero: number;
  /** Presses by touch or pen: no path precedes a tap, so they are counted apart and judged by nothing. */
  touch: number;
}

export const counts: PointerCounts = { moves: 0, path_px: 0, presses: 0, without_path: 0, judged_path: 0, linear_path: 0, at_centre: 0, pressure_zero: 0, touch: 0 };
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

/** The last `n` points, oldest first. */
function path(n: number): [number, number][] {
  const points: [number, number][] = [];
  for (let k = counts.moves - n; k < counts.moves; k++) points.push([xs[k % RING]!, ys[k % RING]!]);
  return points;
}

/**
 * Judges the approach to a press: null when too short to say, else whether it
 * is a straight line travelled in equal steps, what interpolated "steps" give. A hand's path bows and
 * wobbles by pixels and speeds up and slows down.
 */
function linear(points: [number, number][]): boolean | null {
  const [x0, y0] = points[0]!;
  const [x1, y1] = points[points.length - 1]!;
  const chord = Math.hypot(x1 - x0, y1 - y0);
  if (points.length < TAIL || chord < TAIL_PX) return null;
  const steps: number[] = [];
  let deviation = 0;
  for (let k = 1; k < points.length; k++) {
    const [xa, ya] = points[k - 1]!;
    const [xb, yb] = points[k]!;
    steps.push(Math.hypot(xb - xa, yb - ya));
    deviation = Math.max(deviation, Math.abs((x1 - x0) * (y0 - yb) - (x0 - xb) * (y1 - y0)) / chord);
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
  if (sincePress < 3) counts.without_path++;
  else {
    // The approach's last stretch: a tool's final move may follow other moves of its own (a detour, a
    // first move elsewhere), so every tail of TAIL or more points is judged, and one straight tail suffices.
    const points = path(Math.min(sincePress, RING));
    let judged = false;
    let straight = false;
    for (let start = points.length - TAIL; start >= 0 && !straight; start--) {
      const tail = linear(points.slice(start));
      judged ||= tail !== null;
      straight = tail === true;
    }
    if (judged) counts.judged_path++;
    if (straight) counts.linear_path++;
  }
  sincePress = 0;
  const target = typeof Element !== 'undefined' && event.target instanceof Element ? (event.target.closest(CONTROL) ?? event.target) : null;
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
