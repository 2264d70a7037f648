import { describe, expect, it } from 'vitest';
import { bot } from './bot.js';
import { scoreRisk } from './score.js';

const INPUT = [
  'input_without_pointer_path',
  'pointer_path_linear',
  'click_at_exact_centre',
  'mouse_pressure_zero',
  'text_without_key_events',
  'synthetic_key_timing',
  'shifted_key_without_shift',
];
const holding = (...names: string[]) => Object.fromEntries(INPUT.map((name) => [name, names.includes(name)]));

describe('bot risk from how the page was used', () => {
  it('stays low on any one input tell alone, which can befall a person', () => {
    for (const name of INPUT) expect(scoreRisk(bot, holding(name)).severity, name).toBe('low');
  });

  it('is high on any two input tells together, what protocol-driven input looks like', () => {
    for (const [i, a] of INPUT.entries()) for (const b of INPUT.slice(i + 1)) expect(scoreRisk(bot, holding(a, b)).severity, `${a} + ${b}`).toBe('high');
  });

  it('is at its maximum on a plain protocol-driven login: a jump to the centre of each target and filled text', () => {
    expect(scoreRisk(bot, holding('input_without_pointer_path', 'click_at_exact_centre', 'text_without_key_events')).severity).toBe('maximum');
  });
});
