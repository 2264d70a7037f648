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
  /** Capitals and US-shifted symbols pressed with no modifier, which no keyboard layout produces. */
  shifted_without_shift: number;
  /** Characters typed into a field (trusted `insertText` input) with no key pressed for them. */
  inserted_without_keys: number;
  /** Pastes into a field, and autofill-like insertions (a replacement or an untrusted input). */
  pastes: number;
  filled: number;
}

export const counts: KeyCounts = { keys: 0, shifted_without_shift: 0, gaps: 0, fast_gaps: 0, overlaps: 0, inserted_without_keys: 0, pastes: 0, filled: 0 };
// Dwell times (press to release), bounded: a median needs no more than the first few dozen keys.
const dwells: number[] = [];
const down = new Map<string, number>();
let lastRelease = -1;
let keySinceInput = false;

// What Shift makes of each key on the US layout, the only one the protocol tools' keyboards emulate.
const US_SHIFTED: Record<string, string> = {
  Digit1: '!',
  Digit2: '@',
  Digit3: '#',
  Digit4: '$',
  Digit5: '%',
  Digit6: '^',
  Digit7: '&',
  Digit8: '*',
  Digit9: '(',
  Digit0: ')',
  Minus: '_',
  Equal: '+',
  BracketLeft: '{',
  BracketRight: '}',
  Backslash: '|',
  Semicolon: ':',
  Quote: '"',
  Comma: '<',
  Period: '>',
  Slash: '?',
  Backquote: '~',
};

/**
 * The protocol types "T" or "@" as a key named so with no modifier down; a hand holds Shift (or AltGr, or
 * has Caps Lock on). A capital letter needs one on every layout; a symbol is judged only when its key is
 * where the US layout puts it shifted, which no layout produces unshifted.
 */
function shiftedWithoutShift(event: KeyboardEvent): boolean {
  const key = event.key;
  if (key.length !== 1 || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey || event.getModifierState('AltGraph')) return false;
  if (key !== key.toLowerCase()) return !event.getModifierState('CapsLock');
  return US_SHIFTED[event.code] === key;
}

export function onKeyDown(event: KeyboardEvent): void {
  if (!event.isTrusted) return;
  // A held key's auto-repeat types too: text with a key, though not a new press.
  keySinceInput = true;
  // Keys an input method composes (soft keyboards, East Asian IMEs) carry no timing of a finger.
  if (event.repeat || event.isComposing || event.keyCode === 229) return;
  counts.keys++;
  if (shiftedWithoutShift(event)) counts.shifted_without_shift++;
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
