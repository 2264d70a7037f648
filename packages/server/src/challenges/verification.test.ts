import { describe, expect, it } from 'vitest';
import { hashCode, maskDestination, newCode } from './verification.js';

const secret = 'installation-secret';

describe('verification codes', () => {
  it('are six digits, leading zeros kept, and differ between draws', () => {
    const codes = Array.from({ length: 200 }, newCode);
    expect(codes.every((c) => /^\d{6}$/.test(c))).toBe(true);
    expect(new Set(codes).size).toBeGreaterThan(190);
  });

  it('hash per challenge and secret, so a code for one challenge does not open another', () => {
    expect(hashCode(secret, 'ch_1', '042917')).not.toBe(hashCode(secret, 'ch_2', '042917'));
    expect(hashCode(secret, 'ch_1', '042917')).not.toBe(hashCode('other', 'ch_1', '042917'));
  });

  it('masks where the code went', () => {
    expect(maskDestination('alice@example.com')).toBe('a••••@example.com');
    expect(maskDestination('+4791234567')).toBe('•••••••••67');
  });
});
