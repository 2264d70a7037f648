import { beforeEach, describe, expect, it, vi } from 'vitest';

// The behaviour collectors keep the page's counts in module state; each test loads them afresh and feeds
// them events shaped as the browser delivers them (outside a browser, no listener is attached).
type Pointer = typeof import('./pointer.js');
type Keys = typeof import('./keys.js');
let pointer: Pointer;
let keys: Keys;
beforeEach(async () => {
  vi.resetModules();
  pointer = await import('./pointer.js');
  keys = await import('./keys.js');
});

const move = (x: number, y: number, over: Partial<PointerEvent> = {}) =>
  pointer.onPointerMove({ isTrusted: true, pointerType: 'mouse', clientX: x, clientY: y, ...over } as PointerEvent);
const press = (x: number, y: number, over: Partial<PointerEvent> = {}) =>
  pointer.onPointerDown({ isTrusted: true, pointerType: 'mouse', pressure: 0.5, clientX: x, clientY: y, target: null, ...over } as unknown as PointerEvent);

/** A hand's approach: a bowed path whose speed rises and falls, on whole pixels, with a wobble. */
function handPath(from: [number, number], to: [number, number], steps = 30): void {
  for (let i = 1; i <= steps; i++) {
    const s = i / steps;
    const t = 10 * s ** 3 - 15 * s ** 4 + 6 * s ** 5;
    const bow = Math.sin(Math.PI * t) * 40;
    move(Math.round(from[0] + (to[0] - from[0]) * t + bow), Math.round(from[1] + (to[1] - from[1]) * t + (i % 3) - 1));
  }
}

/** A tool's `mouse.move(x, y, { steps })`: equal fractional steps on a straight line. */
function toolPath(from: [number, number], to: [number, number], steps: number): void {
  for (let i = 1; i <= steps; i++) move(from[0] + ((to[0] - from[0]) * i) / steps, from[1] + ((to[1] - from[1]) * i) / steps);
}

describe('pointer: how the mouse reached each press', () => {
  it('counts a hand’s curved approach as judged, not linear, and a jump as no path', () => {
    handPath([600, 500], [180, 120]);
    press(180, 120);
    move(300, 200);
    press(300, 200);
    expect(pointer.counts).toMatchObject({ presses: 2, without_path: 1, judged_path: 1, linear_path: 0, pressure_zero: 0 });
    expect(pointer.counts.path_px).toBeGreaterThan(500);
  });

  it('sees a straight path in equal steps, even after a first move of the tool’s elsewhere', () => {
    toolPath([0, 0], [400, 380], 8);
    toolPath([400, 380], [151.7, 96.2], 25);
    press(151.7, 96.2, { pressure: 0 });
    expect(pointer.counts).toMatchObject({ presses: 1, judged_path: 1, linear_path: 1, pressure_zero: 1 });
  });

  it('leaves a short hop unjudged, and ignores touch, pens and script-made events', () => {
    toolPath([100, 100], [104, 108], 6);
    press(104, 108);
    press(10, 10, { pointerType: 'touch' });
    press(10, 10, { isTrusted: false });
    move(50, 50, { isTrusted: false });
    expect(pointer.counts).toMatchObject({ presses: 1, judged_path: 0, linear_path: 0, touch: 1, moves: 6 });
  });
});

const key = (type: 'down' | 'up', k: string, t: number, over: Partial<KeyboardEvent> = {}) => {
  const event = {
    isTrusted: true,
    key: k,
    code: `Key${k.toUpperCase()}`,
    timeStamp: t,
    repeat: false,
    isComposing: false,
    keyCode: 65,
    shiftKey: false,
    altKey: false,
    ctrlKey: false,
    metaKey: false,
    getModifierState: () => false,
    ...over,
  } as unknown as KeyboardEvent;
  if (type === 'down') keys.onKeyDown(event);
  else keys.onKeyUp(event);
};
const input = (inputType: string, data: string | null, isTrusted = true) => keys.onInput({ isTrusted, inputType, data } as InputEvent);
const collected = () => keys.keys.collect() as Record<string, unknown>;

describe('keys: how text reached the fields', () => {
  it('reads a person’s rhythm: long holds, uneven gaps, rollover', () => {
    let t = 0;
    for (const [i, k] of [...'hunter'].entries()) {
      t += 140 + (i % 3) * 40;
      key('down', k, t);
      input('insertText', k);
      if (i === 2) {
        key('down', 'x', t + 60);
        key('up', k, t + 90);
        key('up', 'x', t + 120);
        input('insertText', 'x');
      } else key('up', k, t + 85 + (i % 2) * 30);
    }
    expect(collected()).toMatchObject({ keys: 7, overlaps: 1, fast_gaps: 0, inserted_without_keys: 0, shifted_without_shift: 0 });
    expect(collected().dwell_median_ms).toBeGreaterThan(50);
  });

  it('reads the protocol’s typing: keys held for milliseconds, pressed the instant the last is released', () => {
    let t = 0;
    for (const k of 'hunter') {
      t += 3;
      key('down', k, t);
      input('insertText', k);
      t += 2;
      key('up', k, t);
    }
    expect(collected()).toMatchObject({ keys: 6, gaps: 5, fast_gaps: 5, overlaps: 0 });
    expect(collected().dwell_median_ms).toBeLessThan(15);
  });

  it('counts capitals and US-shifted symbols typed with no Shift, but not with Shift, Caps Lock or AltGr', () => {
    key('down', 'T', 0);
    key('down', '@', 10, { code: 'Digit2' });
    key('down', 'T', 20, { shiftKey: true });
    key('down', 'T', 30, { getModifierState: (m: string) => m === 'CapsLock' });
    key('down', '@', 40, { code: 'KeyQ', getModifierState: (m: string) => m === 'AltGraph' });
    // An AZERTY "é" and "&" come from digit keys with no modifier: not what the US layout shifts there.
    key('down', 'é', 50, { code: 'Digit2' });
    key('down', '&', 60, { code: 'Digit1' });
    expect(collected().shifted_without_shift).toBe(2);
  });

  it('tells text with no key (the protocol’s insertText) from pastes, autofill and auto-repeat', () => {
    input('insertText', 'mallory@example.com');
    input('insertFromPaste', 'secret');
    input('insertReplacementText', 'suggested');
    input('', null, false);
    key('down', 'l', 100);
    input('insertText', 'l');
    key('down', 'l', 600, { repeat: true });
    input('insertText', 'l');
    expect(collected()).toMatchObject({ inserted_without_keys: 19, pastes: 1, filled: 2, keys: 1 });
  });
});
