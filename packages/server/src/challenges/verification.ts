import { createHmac, randomInt } from 'node:crypto';

// The rules of a verification code (SPEC §7). The limits are applied by the store in one conditional
// write each (a send slot, an attempt), so that parallel requests cannot pass them.

export const CODE_TTL_MS = 10 * 60_000;
export const MAX_ATTEMPTS = 5;
export const RESEND_COOLDOWN_MS = 30_000;
export const MAX_SENDS = 5;

/** A fresh 6-digit code, leading zeros kept, from the operating system's randomness. */
export function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** Codes are stored as an HMAC keyed by the installation's secret: six digits fall to any offline guess. */
export function hashCode(secret: string, challengeId: string, code: string): string {
  return createHmac('sha256', secret).update(`${challengeId}.${code}`).digest('base64url');
}

/** An address as the page shows it: enough to recognise, not enough to harvest. */
export function maskDestination(destination: string): string {
  const at = destination.indexOf('@');
  if (at > 0) return `${destination[0]}${'•'.repeat(Math.max(1, at - 1))}${destination.slice(at)}`;
  return `${'•'.repeat(Math.max(0, destination.length - 2))}${destination.slice(-2)}`;
}
