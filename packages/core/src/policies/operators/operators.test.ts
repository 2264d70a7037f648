import { describe, expect, it } from 'vitest';
import { operators } from './index.js';

const { eq, neq, gt, gte, lt, lte, in: inList, not_in: notIn, contains, exists, not_exists: notExists } = operators;

describe('operators', () => {
  it('eq and neq compare strictly and are false on an absent field', () => {
    expect(eq.test(true, true)).toBe(true);
    expect(eq.test(5, 5)).toBe(true);
    expect(eq.test('5', 5)).toBe(false);
    expect(eq.test('true', true)).toBe(false);
    expect(eq.test(undefined, true)).toBe(false);
    expect(neq.test('NO', 'SE')).toBe(true);
    expect(neq.test('NO', 'NO')).toBe(false);
    expect(neq.test(undefined, 'NO')).toBe(false);
  });

  it('orders numbers, at the boundaries exactly, and nothing else', () => {
    expect([gt.test(3, 3), gte.test(3, 3), lt.test(3, 3), lte.test(3, 3)]).toEqual([false, true, false, true]);
    expect([gt.test(4, 3), lt.test(2, 3)]).toEqual([true, true]);
    expect(gt.test('4', 3)).toBe(false);
    expect(gte.test(undefined, 0)).toBe(false);
    expect(lte.test(undefined, 0)).toBe(false);
  });

  it('in and not_in look in a list; not_in on an absent field is false', () => {
    expect(inList.test('NO', ['NO', 'SE'])).toBe(true);
    expect(inList.test('DK', ['NO', 'SE'])).toBe(false);
    expect(notIn.test('DK', ['NO', 'SE'])).toBe(true);
    expect(notIn.test(undefined, ['NO'])).toBe(false);
    expect(inList.test(1, ['1'])).toBe(false);
  });

  it('contains finds substrings of strings only', () => {
    expect(contains.test('mailinator.com', 'mailinator')).toBe(true);
    expect(contains.test('example.com', 'mailinator')).toBe(false);
    expect(contains.test(undefined, 'x')).toBe(false);
    expect(contains.test(123, '2')).toBe(false);
  });

  it('exists and not_exists are about presence only; not_exists is the one that holds on absence', () => {
    expect([exists.test(false, undefined), exists.test(undefined, undefined)]).toEqual([true, false]);
    expect([notExists.test(false, undefined), notExists.test(undefined, undefined)]).toEqual([false, true]);
  });

  it('says which field types each operator fits', () => {
    expect(gt.accepts).not.toContain('boolean');
    expect(gt.accepts).toContain('severity');
    expect(contains.accepts).toEqual(['string']);
    expect(eq.accepts).toContain('boolean');
    expect([inList.value, exists.value, eq.value]).toEqual(['array', 'none', 'one']);
  });
});
