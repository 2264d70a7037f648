import { describe, expect, it } from 'vitest';
import { classifyPhone } from './classify.js';

describe('classifyPhone', () => {
  it('knows valid numbers, their country and type', () => {
    expect(classifyPhone('+47 412 34 567')).toEqual({ valid: true, country: 'NO', type: 'mobile', e164: '+4741234567' });
    expect(classifyPhone('+44 20 7946 0958')).toMatchObject({ valid: true, country: 'GB', type: 'fixed' });
    expect(classifyPhone('+1 415 555 2671')).toMatchObject({ country: 'US' });
  });
  it('refuses what is not a number', () => {
    expect(classifyPhone('12345')).toMatchObject({ valid: false });
    expect(classifyPhone('+47 1')).toMatchObject({ valid: false });
    expect(classifyPhone('not a phone')).toEqual({ valid: false, country: null, type: null, e164: null });
  });
});
