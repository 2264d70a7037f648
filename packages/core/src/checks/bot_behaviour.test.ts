import { describe, expect, it } from 'vitest';
import { botBehaviour } from './bot_behaviour.js';
import { browserSignals, facts, input } from './test-support/fixtures.js';

const computer = facts({ userAgent: { deviceClass: 'computer', browser: 'Chrome', os: 'Linux', isBot: false } });
const phone = facts({ userAgent: { deviceClass: 'mobile', browser: 'Chrome', os: 'Android', isBot: false } });
const person = { moves: 140, path_px: 1210, presses: 2, without_path: 0, judged_path: 2, linear_path: 0, at_centre: 0, pressure_zero: 0, touch: 0 };
const typist = { keys: 18, gaps: 12, fast_gaps: 1, overlaps: 5, shifted_without_shift: 0, inserted_without_keys: 0, pastes: 0, filled: 0, dwell_median_ms: 96 };
const checks = (over: Record<string, unknown>, f = computer) => botBehaviour(input({ signals: browserSignals('blink', over) }), f);

describe('bot behaviour: a person', () => {
  it('raises nothing for a person who moved the mouse, clicked off-centre and typed', () => {
    expect(checks({})).toEqual({
      input_without_pointer_path: false,
      pointer_path_linear: false,
      click_at_exact_centre: false,
      mouse_pressure_zero: false,
      text_without_key_events: false,
      shifted_key_without_shift: false,
      synthetic_key_timing: false,
      window_larger_than_screen: false,
      devtools_open_during_flow: false,
    });
  });

  it('raises nothing for a person who pasted, used only the keyboard, or let a password manager fill the form', () => {
    const keyboardOnly = checks({ pointer: { ...person, moves: 0, path_px: 0, presses: 0 } });
    const autofilled = checks({ keys: { ...typist, keys: 0, gaps: 0, fast_gaps: 0, overlaps: 0, filled: 2, dwell_median_ms: null } });
    const pasted = checks({ keys: { ...typist, pastes: 1 } });
    for (const got of [keyboardOnly, autofilled, pasted]) {
      expect(Object.entries(got).filter(([, held]) => held === true)).toEqual([]);
    }
  });

  it('judges no behaviour on a phone or a tablet, whose taps and soft keyboards have other rhythms', () => {
    expect(checks({ keys: { ...typist, dwell_median_ms: 2 }, pointer: { ...person, without_path: 2 } }, phone)).toEqual({});
    // A headless browser names no device in its user agent, and is judged.
    const headless = facts({ userAgent: { deviceClass: 'other', browser: 'Chrome', os: 'Linux', isBot: true } });
    expect(checks({ pointer: { ...person, without_path: 2 } }, headless).input_without_pointer_path).toBe(true);
  });

  it('leaves key timing absent under a coarsened clock, where a held key can read 0 ms', () => {
    const got = checks({ timer_resolution: 16.67, keys: { ...typist, dwell_median_ms: 0 } });
    expect(got.synthetic_key_timing).toBeUndefined();
    expect(got.text_without_key_events).toBe(false);
  });

  it('leaves each check absent when its signal is missing or malformed', () => {
    expect(botBehaviour(input({ signals: {} }), computer)).toEqual({});
    expect(checks({ pointer: { presses: 'two' }, keys: null, window: { outer: [1] } })).toEqual({});
  });
});

describe('bot behaviour: protocol-driven input', () => {
  it('sees clicks that jump to the exact centre of their target', () => {
    expect(checks({ pointer: { ...person, moves: 2, without_path: 2, at_centre: 2 } })).toMatchObject({ input_without_pointer_path: true, click_at_exact_centre: true });
    // One press with a path and one without: a person whose mouse rested on the button, not a bot.
    expect(checks({ pointer: { ...person, without_path: 1 } }).input_without_pointer_path).toBe(false);
  });

  it('sees a straight gliding path in equal steps, and a pressureless press', () => {
    expect(checks({ pointer: { ...person, linear_path: 2, pressure_zero: 2 } })).toMatchObject({ pointer_path_linear: true, mouse_pressure_zero: true });
    expect(checks({ pointer: { ...person, without_path: 1, judged_path: 1, linear_path: 1 } }).pointer_path_linear).toBe(true);
    expect(checks({ pointer: { ...person, linear_path: 1 } }).pointer_path_linear).toBe(false);
    // Paths too short to judge say nothing either way; an older SDK's counts leave the check absent.
    expect(checks({ pointer: { ...person, judged_path: 0 } }).pointer_path_linear).toBe(false);
    expect(checks({ pointer: { ...person, judged_path: undefined } }).pointer_path_linear).toBeUndefined();
  });

  it('sees keys held for milliseconds, keys pressed the instant the last was released, and text with no keys', () => {
    expect(checks({ keys: { ...typist, dwell_median_ms: 3 } }).synthetic_key_timing).toBe(true);
    expect(checks({ keys: { ...typist, dwell_median_ms: 120, gaps: 17, fast_gaps: 16, overlaps: 0 } }).synthetic_key_timing).toBe(true);
    // The same gaps with a key rolled over: a fast typist.
    expect(checks({ keys: { ...typist, dwell_median_ms: 120, gaps: 17, fast_gaps: 16, overlaps: 1 } }).synthetic_key_timing).toBe(false);
    expect(checks({ keys: { ...typist, shifted_without_shift: 1 } }).shifted_key_without_shift).toBe(true);
    expect(checks({ keys: { ...typist, keys: 0, gaps: 0, fast_gaps: 0, overlaps: 0, inserted_without_keys: 17, dwell_median_ms: null } })).toMatchObject({
      text_without_key_events: true,
      synthetic_key_timing: false,
    });
  });
});

describe('bot behaviour: the window', () => {
  const window = (over: Record<string, unknown>) => ({
    window: { outer: [1280, 800], inner: [1280, 685], screen: [1366, 900], pixel_ratio: 1, gap: [0, 115], at_load: { gap: [0, 115], pixel_ratio: 1 }, has_focus: true, ...over },
  });

  it('sees a window larger than its screen, or a page larger than its window', () => {
    expect(checks(window({ outer: [1288, 805], inner: [1280, 720], screen: [1280, 720] })).window_larger_than_screen).toBe(true);
    expect(checks(window({ outer: [780, 580], inner: [800, 600], screen: [800, 600] })).window_larger_than_screen).toBe(true);
    // A maximised window on Windows overhangs by its 8 px invisible borders; a page zoomed out is larger
    // than its window in CSS pixels, at a pixel ratio that says so.
    expect(checks(window({ outer: [1382, 1056], inner: [1366, 945], screen: [1366, 1040] })).window_larger_than_screen).toBe(false);
    expect(checks(window({ outer: [1050, 880], inner: [1389, 977], pixel_ratio: 0.75, at_load: { gap: [0, 115], pixel_ratio: 0.75 } })).window_larger_than_screen).toBe(false);
  });

  it('sees developer tools docked during the flow, but not a sidebar or tab strip that was always there, nor zoom', () => {
    expect(checks(window({ gap: [420, 115] })).devtools_open_during_flow).toBe(true);
    expect(checks(window({ gap: [0, 450] })).devtools_open_during_flow).toBe(true);
    // Firefox with its sidebar (or vertical tabs) open from the start.
    expect(checks(window({ gap: [260, 104], at_load: { gap: [260, 104], pixel_ratio: 1 } })).devtools_open_during_flow).toBe(false);
    // Zoomed in during the flow: the page shrinks in CSS pixels, the pixel ratio grows.
    expect(checks(window({ gap: [250, 400], pixel_ratio: 1.5 })).devtools_open_during_flow).toBe(false);
    // An older SDK sent no gap at load: unknown, not false.
    expect(checks(window({ at_load: null })).devtools_open_during_flow).toBeUndefined();
  });
});
