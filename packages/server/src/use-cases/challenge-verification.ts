import type { ChallengeRecord } from '@vigil/store';
import { DeliveryError } from '../challenges/delivery.js';
import { mailFor } from './mail-settings.js';
import { CODE_TTL_MS, type CodeCheck, canSend, checkCode, hashCode, newCode } from '../challenges/verification.js';
import { AppError } from '../errors/codes.js';
import type { Deps } from './deps.js';
import { announceChallenge } from './evaluate.js';

// Verification challenges (SPEC §7): send a code by email or SMS, check what the user enters. Shared by
// the hosted page and the server-side (v2) API, so both follow one status machine.

const SECRET = 'challenge_codes';
export type Channel = 'email' | 'sms';

/** The first time the page is shown, the challenge moves from created to presented. */
export async function presentChallenge(deps: Deps, challenge: ChallengeRecord): Promise<void> {
  if (challenge.status === 'created') await deps.store.challenges.setStatus(challenge.id, 'presented', deps.now());
}

/** The channel a code goes through: the one asked for if the challenge allows it, else its first. */
export function channelFor(challenge: ChallengeRecord, asked?: string): Channel {
  const allowed = challenge.channels.map((c) => (c === 'text' ? 'sms' : c)).filter((c): c is Channel => c === 'email' || c === 'sms');
  if (asked !== undefined && (asked === 'email' || asked === 'sms') && allowed.includes(asked)) return asked;
  return allowed[0] ?? 'email';
}

export async function sendChallengeCode(deps: Deps, challenge: ChallengeRecord, channel: Channel, projectName: string): Promise<{ destination: string }> {
  const now = deps.now();
  const existing = await deps.store.challenges.code(challenge.id);
  const allowed = canSend(challenge.status, existing, now);
  if (!allowed.ok) {
    if (allowed.reason === 'closed') throw new AppError('CHALLENGE_CLOSED', `This challenge is ${challenge.status}`);
    if (allowed.reason === 'too_many') throw new AppError('CHALLENGE_RESEND_TOO_SOON', 'Five codes were sent already: ask the application for a new challenge');
    throw new AppError('CHALLENGE_RESEND_TOO_SOON', `A code was just sent: wait ${Math.ceil((allowed.retryAfterMs ?? 0) / 1000)} s before asking for another`);
  }
  const contact = await deps.store.challenges.contact(challenge.userId);
  const destination = channel === 'email' ? contact?.email : contact?.phone;
  if (!destination) throw new AppError('CHALLENGE_NO_DESTINATION', `The user has no ${channel === 'email' ? 'email address' : 'phone number'} to send a code to`);
  const code = newCode();
  const text = `${code} is your ${projectName} verification code. It expires in 10 minutes. If you did not ask for it, ignore this message.`;
  try {
    if (channel === 'email') {
      const mail = await mailFor(deps, challenge.projectId);
      await deps.delivery.email({ to: destination, subject: `${code} is your ${projectName} verification code`, text, html: `<p><strong>${code}</strong> is your ${escapeHtml(projectName)} verification code.</p><p>It expires in 10 minutes. If you did not ask for it, ignore this message.</p>` }, mail?.settings ?? null);
    } else {
      await deps.delivery.sms({ to: destination, text });
    }
  } catch (error) {
    if (error instanceof DeliveryError) throw new AppError('CHALLENGE_DELIVERY_FAILED', error.message);
    throw error;
  }
  const secret = await deps.store.instanceSecrets.get(SECRET, now);
  await deps.store.challenges.saveCode({ challengeId: challenge.id, channel, destination, codeHash: hashCode(secret, challenge.id, code), lastSentAt: now, expiresAt: now + CODE_TTL_MS }, 'code_sent');
  return { destination };
}

/**
 * Checks an entered code. Passing verifies the user's email or phone; `complete` also completes the
 * challenge (the hosted page does both at once; the v2 API completes in a call of its own).
 */
export async function verifyChallengeCode(deps: Deps, challenge: ChallengeRecord, given: string, options: { complete: boolean }): Promise<CodeCheck> {
  const now = deps.now();
  const code = await deps.store.challenges.code(challenge.id);
  const secret = await deps.store.instanceSecrets.get(SECRET, now);
  const result = checkCode({ status: challenge.status, code, given, secret, now });
  if (result.outcome === 'wrong' || result.outcome === 'failed') await deps.store.challenges.recordWrongCode(challenge.id, result.outcome === 'failed', now);
  if (result.outcome === 'passed') {
    await deps.store.challenges.passVerification({ id: challenge.id, userId: challenge.userId }, code!.channel === 'sms' ? 'sms' : 'email', options.complete ? 'completed' : 'verified', now);
    if (options.complete) await announceChallenge(deps, challenge.id, 'challenge.completed');
  }
  return result;
}

/** The AppError an unsuccessful check answers with on the API. */
export function codeCheckError(result: Exclude<CodeCheck, { outcome: 'passed' }>, status: string): AppError {
  switch (result.outcome) {
    case 'wrong':
      return new AppError('CHALLENGE_CODE_INVALID', `Wrong code: ${result.attemptsLeft} attempt${result.attemptsLeft === 1 ? '' : 's'} left`);
    case 'failed':
      return new AppError('CHALLENGE_CLOSED', 'Wrong code five times: the challenge failed');
    case 'expired':
      return new AppError('CHALLENGE_CODE_EXPIRED', 'The code expired: send a new one');
    case 'no_code':
      return new AppError('CHALLENGE_NO_CODE', 'No code was sent yet');
    case 'closed':
      return new AppError('CHALLENGE_CLOSED', `This challenge is ${status}`);
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
