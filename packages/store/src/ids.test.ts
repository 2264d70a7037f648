import { describe, expect, it } from 'vitest';
import { hashSecret, newId, newSecretKey } from './ids.js';

describe('ids', () => {
  it('are prefixed, 26 base32 characters, and never repeat (across refills of the random pool)', () => {
    const ids = Array.from({ length: 2000 }, () => newId('ev'));
    for (const id of ids) expect(id).toMatch(/^ev_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('secret keys are 256-bit and hash deterministically', () => {
    const key = newSecretKey();
    expect(key).toMatch(/^sk_[0-9a-z]{52}$/);
    expect(hashSecret(key)).toBe(hashSecret(key));
    expect(hashSecret(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecret(key)).not.toBe(hashSecret(newSecretKey()));
  });
});
