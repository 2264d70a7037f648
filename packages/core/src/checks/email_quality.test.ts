import { describe, expect, it } from 'vitest';
import { emailQuality } from './email_quality.js';
import { facts, input } from './test-support/fixtures.js';
import type { Facts } from '../types.js';

const withEmail = input({ user: { id: 'u', email: 'ola@Example.com' } });
const known = (email: Partial<NonNullable<Facts['email']>>): Facts =>
  facts({ email: { valid: true, domain: 'example.com', disposable: false, webmail: false, hasMailExchanger: null, acceptAll: null, ...email } });

describe('email quality', () => {
  it('a plain address at a company domain', () => {
    expect(emailQuality(withEmail, known({ domain: 'Example.COM', hasMailExchanger: true }))).toEqual({
      email_is_disposable: false,
      email_is_webmail: false,
      email_is_invalid: false,
      email_domain: 'example.com',
    });
  });

  it('disposable and webmail', () => {
    expect(emailQuality(withEmail, known({ disposable: true }))).toMatchObject({ email_is_disposable: true, email_is_webmail: false });
    expect(emailQuality(withEmail, known({ webmail: true, domain: 'gmail.com' }))).toMatchObject({ email_is_webmail: true, email_domain: 'gmail.com' });
  });

  it('invalid by syntax, or by a domain without a mail exchanger when DNS answered', () => {
    expect(emailQuality(withEmail, known({ valid: false, domain: null }))).toEqual({ email_is_disposable: false, email_is_webmail: false, email_is_invalid: true });
    expect(emailQuality(withEmail, known({ hasMailExchanger: false })).email_is_invalid).toBe(true);
    expect(emailQuality(withEmail, known({ hasMailExchanger: null })).email_is_invalid).toBe(false);
  });

  it('accept-all only when an SMTP probe answered', () => {
    expect(emailQuality(withEmail, known({ acceptAll: true })).email_is_accept_all).toBe(true);
    expect(emailQuality(withEmail, known({ acceptAll: false })).email_is_accept_all).toBe(false);
    expect(emailQuality(withEmail, known({})).email_is_accept_all).toBeUndefined();
  });

  it('absent without an email or without facts about it', () => {
    expect(emailQuality(input(), known({}))).toEqual({});
    expect(emailQuality(withEmail, facts())).toEqual({});
  });
});
