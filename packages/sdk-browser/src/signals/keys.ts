import type { Collector } from './collector.js';
import { listen } from './listen.js';

/**
 * How text reached the page's fields, from the page's load to the action. A person holds each key for
 * tens of milliseconds, leaves uneven gaps between keys and often presses the next before releasing the
 * last (rollover). Protocol-driven typing (Input.dispatchKeyEvent) holds keys for a few milliseconds, or
 * exactly its `delay`, and presses the next key the instant the last is released; Input.insertText
 * (Playwright's fill) puts text in a field with no key at all. Only counts and a median leave the page:
 * no keys, no values, no timings of single keys.
 */
export interface KeyCounts {
  /** Trusted key presses (auto-repeat excluded). */
  keys: number;
  /** Gaps from one key's release to the next key's press, and those under 10 ms. */
  gaps: number;
  fast_gaps: number;
  /** Presses made while another key was still down. */
  overlaps: number;
  /** Characters typed into a field (trusted `insertText` input) with no key pressed for them. */
  inserted_without_keys: number;
  /** Pastes into a field, and autofill-like insertions (a replacement or an untrusted input). */
  pastes: number;
  filled: number;
}

export const counts: KeyCounts = { keys: 0, gaps: 0, fast_gaps: 0, overlaps: 0, inserted_without_keys: 0, pastes: 0, filled: 0 };
// Dwell times (press to release), bounded: a median needs no more than the first few dozen keys.
const dwells: number[] = [];
const down = new Map<string, number>();
let lastRelease = -1;
let keySinceInput = false;

export function onKeyDown(event: KeyboardEvent): void {
  if (!event.isTrusted || event.repeat) return;
  counts.keys++;
  keySinceInput = true;
  if (down.size > 0) counts.overlaps++;
  else if (lastRelease >= 0) {
    counts.gaps++;
    if (event.timeStamp - lastRelease < 10) counts.fast_gaps++;
  }
  down.set(event.code || event.key, event.timeStamp);
}

export function onKeyUp(event: KeyboardEvent): void {
  if (!event.isTrusted) return;
  const key = event.code || event.key;
  const pressed = down.get(key);
  if (pressed === undefined) return;
  down.delete(key);
  if (dwells.length < 64) dwells.push(event.timeStamp - pressed);
  lastRelease = event.timeStamp;
}

export function onInput(event: InputEvent): void {
  if (!event.isTrusted) {
    // A password manager's extension sets a value and announces it with a script-made event.
    counts.filled++;
    return;
  }
  const type = event.inputType;
  if (type === 'insertText' && !keySinceInput) counts.inserted_without_keys += event.data?.length ?? 0;
  else if (type === 'insertFromPaste' || type === 'insertFromDrop') counts.pastes++;
  else if (type === 'insertReplacementText' || type === undefined || type === '') counts.filled++;
  keySinceInput = false;
}

// A window that loses focus mid-press never sees the release: forget what was held.
const forget = () => down.clear();
listen({ keydown: onKeyDown, keyup: onKeyUp, input: onInput });
if (typeof window !== 'undefined') window.addEventListener('blur', forget, { passive: true });

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]! * 10) / 10;
}

export const keys: Collector = {
  name: 'keys',
  stable: false,
  collect: () => ({ ...counts, dwell_median_ms: median(dwells) }),
};
