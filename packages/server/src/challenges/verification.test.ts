import { describe, expect, it } from 'vitest';
import { CODE_TTL_MS, canSend, checkCode, hashCode, maskDestination, newCode } from './verification.js';

const NOW = Date.UTC(2026, 10, 25, 12);
const secret = 'installation-secret';
const stored = (over: Partial<Parameters<typeof checkCode>[0]['code'] & object> = {}) => ({
  challengeId: 'ch_1', channel: 'email', destination: 'a@example.com', codeHash: hashCode(secret, 'ch_1', '042917'), attempts: 0, sends: 1, lastSentAt: NOW, expiresAt: NOW + CODE_TTL_MS, ...over,
});

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

  it('pass, count down, fail at the fifth wrong try, and expire at ten minutes', () => {
    const check = (given: string, code = stored(), now = NOW) => checkCode({ status: 'code_sent', code, given, secret, now });
    expect(check('042917')).toEqual({ outcome: 'passed' });
    expect(check(' 042917 ')).toEqual({ outcome: 'passed' });
    expect(check('042918')).toEqual({ outcome: 'wrong', attemptsLeft: 4 });
    expect(check('042918', stored({ attempts: 4 }))).toEqual({ outcome: 'failed' });
    expect(check('042917', stored({ attempts: 5 }))).toEqual({ outcome: 'failed' });
    expect(check('042917', stored(), NOW + CODE_TTL_MS)).toEqual({ outcome: 'expired' });
    expect(check('042917', null as never)).toEqual({ outcome: 'no_code' });
    expect(checkCode({ status: 'completed', code: stored(), given: '042917', secret, now: NOW })).toEqual({ outcome: 'closed' });
  });

  it('resend after 30 s, five times at most, never on a closed challenge', () => {
    expect(canSend('presented', null, NOW)).toEqual({ ok: true });
    expect(canSend('code_sent', stored(), NOW + 10_000)).toEqual({ ok: false, reason: 'too_soon', retryAfterMs: 20_000 });
    expect(canSend('code_sent', stored(), NOW + 30_000)).toEqual({ ok: true });
    expect(canSend('code_sent', stored({ sends: 5 }), NOW + 60_000)).toEqual({ ok: false, reason: 'too_many' });
    expect(canSend('failed', null, NOW)).toEqual({ ok: false, reason: 'closed' });
  });

  it('masks where the code went', () => {
    expect(maskDestination('alice@example.com')).toBe('a••••@example.com');
    expect(maskDestination('+4791234567')).toBe('•••••••••67');
  });
});
