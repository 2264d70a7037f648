import { describe, expect, it } from 'vitest';
import { hashSecret, newId, newSecretKey } from './ids.js';

describe('ids', () => {
  it('are prefixed, 26 base32 characters, and never repeat (across refills of the random pool)', () => {
    const ids = Array.from({ length: 2000 }, () => newId('ev'));
    for (const id of ids) expect(id).toMatch(/^ev_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sort by the time they were made, and still differ within one millisecond', () => {
    const earlier = Array.from({ length: 50 }, () => newId('ev', 1_800_000_000_000));
    const later = newId('ev', 1_800_000_000_001);
    for (const id of earlier) expect(id < later).toBe(true);
    expect(new Set(earlier).size).toBe(earlier.length);
    // Past the time, what is left is random: 16 characters (80 bits) differ between ids of one millisecond.
    expect(new Set(earlier.map((id) => id.slice(-16))).size).toBe(earlier.length);
    // The first 9 characters after the prefix are the time alone (45 of its 48 bits).
    expect(newId('ev', 1_800_000_000_000).slice(0, 12)).toBe(earlier[0]!.slice(0, 12));
  });

  it('secret keys are 256-bit and hash deterministically', () => {
    const key = newSecretKey();
    expect(key).toMatch(/^sk_[0-9a-z]{52}$/);
    expect(hashSecret(key)).toBe(hashSecret(key));
    expect(hashSecret(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecret(key)).not.toBe(hashSecret(newSecretKey()));
  });
});
