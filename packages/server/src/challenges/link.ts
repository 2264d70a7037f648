import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a challenge link works: long enough to open the mail, short enough that a leaked one dies. */
export const CHALLENGE_LINK_TTL_MS = 30 * 60_000;

function mac(secret: string, challengeId: string, expiresAt: number): string {
  return createHmac('sha256', secret).update(`${challengeId}.${expiresAt}`).digest('base64url');
}

/** `/challenge/{id}?t=<expiry>.<hmac>`: the hosted page opens only for links Vigil made, until they expire. */
export function signChallengeLink(input: { publicUrl: string; secret: string; challengeId: string; now: number }): string {
  const expiresAt = input.now + CHALLENGE_LINK_TTL_MS;
  return `${input.publicUrl}/challenge/${input.challengeId}?t=${expiresAt}.${mac(input.secret, input.challengeId, expiresAt)}`;
}

export function verifyChallengeToken(input: { secret: string; challengeId: string; token: string; now: number }): 'valid' | 'expired' | 'invalid' {
  const [expiry, signature] = input.token.split('.');
  const expiresAt = Number(expiry);
  if (!signature || !Number.isSafeInteger(expiresAt)) return 'invalid';
  const expected = Buffer.from(mac(input.secret, input.challengeId, expiresAt));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
  return expiresAt > input.now ? 'valid' : 'expired';
}
