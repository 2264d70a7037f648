import { describe, expect, it } from 'vitest';
import { phoneQuality } from './phone_quality.js';
import { facts, input } from './test-support/fixtures.js';

const withPhone = input({ user: { id: 'u', phone: '+4791234567' } });

describe('phone quality', () => {
  it('a valid Norwegian mobile', () => {
    expect(phoneQuality(withPhone, facts({ phone: { valid: true, country: 'NO', type: 'mobile' } }))).toEqual({
      phone_is_invalid: false,
      phone_country: 'NO',
      phone_type: 'mobile',
    });
  });

  it('an invalid number, country and type unknown', () => {
    expect(phoneQuality(withPhone, facts({ phone: { valid: false, country: null, type: null } }))).toEqual({ phone_is_invalid: true });
  });

  it('absent without a phone or facts about it', () => {
    expect(phoneQuality(input(), facts({ phone: { valid: true, country: 'NO', type: 'voip' } }))).toEqual({});
    expect(phoneQuality(withPhone, facts())).toEqual({});
  });
});
