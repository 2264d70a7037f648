import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { ChallengeCodeRecord } from '@vigil/store';

// The rules of a verification code (SPEC §7), as pure functions of the stored state and the time.

export const CODE_TTL_MS = 10 * 60_000;
export const MAX_ATTEMPTS = 5;
export const RESEND_COOLDOWN_MS = 30_000;
export const MAX_SENDS = 5;

/** Statuses after which nothing more happens to a challenge. */
export const CLOSED_STATUSES = new Set(['completed', 'failed', 'skipped', 'overridden']);

/** A fresh 6-digit code, leading zeros kept, from the operating system's randomness. */
export function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** Codes are stored as an HMAC keyed by the installation's secret: six digits fall to any offline guess. */
export function hashCode(secret: string, challengeId: string, code: string): string {
  return createHmac('sha256', secret).update(`${challengeId}.${code}`).digest('base64url');
}

export type SendCheck = { ok: true } | { ok: false; reason: 'closed' | 'too_soon' | 'too_many'; retryAfterMs?: number };

export function canSend(status: string, code: ChallengeCodeRecord | null, now: number): SendCheck {
  if (CLOSED_STATUSES.has(status)) return { ok: false, reason: 'closed' };
  if (!code) return { ok: true };
  if (code.sends >= MAX_SENDS) return { ok: false, reason: 'too_many' };
  const wait = code.lastSentAt + RESEND_COOLDOWN_MS - now;
  return wait > 0 ? { ok: false, reason: 'too_soon', retryAfterMs: wait } : { ok: true };
}

export type CodeCheck =
  | { outcome: 'passed' }
  | { outcome: 'wrong'; attemptsLeft: number }
  | { outcome: 'failed' }
  | { outcome: 'expired' }
  | { outcome: 'no_code' }
  | { outcome: 'closed' };

/** Judges an entered code: the last wrong attempt fails the challenge. */
export function checkCode(input: { status: string; code: ChallengeCodeRecord | null; given: string; secret: string; now: number }): CodeCheck {
  if (CLOSED_STATUSES.has(input.status)) return { outcome: 'closed' };
  const code = input.code;
  if (!code) return { outcome: 'no_code' };
  if (code.attempts >= MAX_ATTEMPTS) return { outcome: 'failed' };
  if (input.now >= code.expiresAt) return { outcome: 'expired' };
  const expected = Buffer.from(code.codeHash);
  const given = Buffer.from(hashCode(input.secret, code.challengeId, input.given.trim()));
  if (expected.length === given.length && timingSafeEqual(expected, given)) return { outcome: 'passed' };
  const attemptsLeft = MAX_ATTEMPTS - code.attempts - 1;
  return attemptsLeft > 0 ? { outcome: 'wrong', attemptsLeft } : { outcome: 'failed' };
}

/** An address as the page shows it: enough to recognise, not enough to harvest. */
export function maskDestination(destination: string): string {
  const at = destination.indexOf('@');
  if (at > 0) return `${destination[0]}${'•'.repeat(Math.max(1, at - 1))}${destination.slice(at)}`;
  return `${'•'.repeat(Math.max(0, destination.length - 2))}${destination.slice(-2)}`;
}
