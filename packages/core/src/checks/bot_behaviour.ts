import type { Checks, EvaluationInput, Facts } from '../types.js';
import { signal } from './signal.js';

/** The browser SDK's `pointer` signal: counts of how the mouse reached each press (see the SDK). */
interface PointerCounts {
  presses: number;
  without_path: number;
  judged_path: number;
  linear_path: number;
  at_centre: number;
  pressure_zero: number;
}

/** The `keys` signal: counts of how text reached the page's fields, and the median key dwell. */
interface KeyCounts {
  keys: number;
  gaps: number;
  fast_gaps: number;
  overlaps: number;
  shifted_without_shift: number;
  inserted_without_keys: number;
  dwell_median_ms: number | null;
}

/** The `window` signal: the window against its screen, now and when the SDK loaded. */
interface WindowGeometry {
  outer: number[];
  inner: number[];
  screen: number[];
  pixel_ratio: number;
  gap: number[];
  at_load: { gap: number[]; pixel_ratio: number } | null;
}

const counted = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const pair = (value: unknown): value is [number, number] => Array.isArray(value) && value.length === 2 && value.every((n) => typeof n === 'number');

/** Key timing means nothing under a coarsened clock (Firefox's resistFingerprinting: 16.67 ms or more). */
const FINE_CLOCK_MS = 5;
/** Fewer keys than this say nothing about a rhythm. */
const MIN_KEYS = 4;
/** A hand holds a key 50–150 ms; protocol-driven keys are held a few milliseconds. */
const SYNTHETIC_DWELL_MS = 15;
/** Share of release-to-press gaps under 10 ms, with no rollover, past which no hand typed. */
const FAST_GAP_SHARE = 0.8;
/** A browser's maximised window overhangs its screen by its invisible borders (8 px a side on Windows). */
const OVERHANG_PX = 32;
/** Docked developer tools take 200+ px off the page's side or bottom. */
const DEVTOOLS_GAP_PX = 200;

function pointerChecks(pointer: PointerCounts | undefined, checks: Checks): void {
  if (!pointer || ![pointer.presses, pointer.without_path, pointer.linear_path, pointer.at_centre, pointer.pressure_zero].every(counted)) return;
  const { presses } = pointer;
  checks.input_without_pointer_path = presses > 0 && pointer.without_path === presses;
  // Paths too short to judge (a hop of a few pixels) count neither way.
  if (counted(pointer.judged_path)) checks.pointer_path_linear = pointer.judged_path > 0 && pointer.linear_path === pointer.judged_path;
  checks.click_at_exact_centre = presses > 0 && pointer.at_centre === presses;
  checks.mouse_pressure_zero = pointer.pressure_zero > 0;
}

function keyChecks(keys: KeyCounts | undefined, clockMs: number | undefined, checks: Checks): void {
  if (!keys || ![keys.keys, keys.gaps, keys.fast_gaps, keys.overlaps, keys.inserted_without_keys].every(counted)) return;
  checks.text_without_key_events = keys.inserted_without_keys >= 2;
  // Sent by SDKs since issue 16 only; an older one's keys say nothing of it.
  if (counted(keys.shifted_without_shift)) checks.shifted_key_without_shift = keys.shifted_without_shift > 0;
  if (clockMs !== undefined && clockMs >= FINE_CLOCK_MS) return;
  const dwell = keys.dwell_median_ms;
  const tooShort = keys.keys >= MIN_KEYS && typeof dwell === 'number' && dwell < SYNTHETIC_DWELL_MS;
  const noRhythm = keys.gaps >= MIN_KEYS && keys.overlaps === 0 && keys.fast_gaps >= FAST_GAP_SHARE * keys.gaps;
  checks.synthetic_key_timing = tooShort || noRhythm;
}

function windowChecks(geometry: WindowGeometry | undefined, checks: Checks): void {
  if (!geometry || !pair(geometry.outer) || !pair(geometry.inner) || !pair(geometry.screen) || typeof geometry.pixel_ratio !== 'number') return;
  const [outerWidth, outerHeight] = geometry.outer;
  const [innerWidth, innerHeight] = geometry.inner;
  const [screenWidth, screenHeight] = geometry.screen;
  // Page zoom changes the viewport's CSS size but not the window's, so the viewport is compared with the
  // window only at a pixel ratio of exactly 1 (no zoom, no display scaling).
  const overhangs = outerWidth > screenWidth + OVERHANG_PX || outerHeight > screenHeight + OVERHANG_PX;
  const pageOutgrowsWindow = geometry.pixel_ratio === 1 && innerWidth > outerWidth && innerHeight > outerHeight;
  checks.window_larger_than_screen = overhangs || pageOutgrowsWindow;
  const atLoad = geometry.at_load;
  if (atLoad && pair(atLoad.gap) && pair(geometry.gap) && typeof atLoad.pixel_ratio === 'number') {
    // Tools docked during the flow widen the gap between window and page; a sidebar, a vertical tab strip
    // or a toolbar that was there from the start does not, nor does zoom (it changes the pixel ratio).
    const grew = geometry.gap.some((n, i) => n - atLoad.gap[i]! >= DEVTOOLS_GAP_PX);
    checks.devtools_open_during_flow = grew && geometry.pixel_ratio === atLoad.pixel_ratio;
  }
}

/**
 * Bot behaviour: how the page was used before the action, from the SDK's pointer, key and window
 * signals. Input a browser's debugging protocol dispatches (what Playwright, Puppeteer and their patched
 * forks send) arrives trusted, so these checks look at its shape instead: no path before a click, a
 * straight gliding path, the exact centre, a pressureless press, keys held for milliseconds, capitals and
 * symbols with no Shift, text with no keys. Judged on computers (and headless browsers) only: touch
 * screens and soft keyboards have other rhythms. Each check is absent when its signal is (an old SDK, a
 * backend evaluation).
 */
export function botBehaviour(input: EvaluationInput, facts: Facts): Checks {
  const checks: Checks = {};
  const ua = facts.userAgent;
  // A headless browser's user agent names no device, and is judged as the computer it runs on.
  if (!ua || (ua.deviceClass !== 'computer' && !ua.isBot)) return checks;
  pointerChecks(signal<PointerCounts>(input, 'pointer'), checks);
  const clock = signal<unknown>(input, 'timer_resolution');
  keyChecks(signal<KeyCounts>(input, 'keys'), typeof clock === 'number' ? clock : undefined, checks);
  windowChecks(signal<WindowGeometry>(input, 'window'), checks);
  return checks;
}
