import type { ChallengeRecord } from '@vigil/store';
import { DeliveryError } from '../../challenges/delivery.js';
import { CODE_TTL_MS, hashCode, MAX_SENDS, newCode, RESEND_COOLDOWN_MS } from '../../challenges/verification.js';
import { AppError } from '../../errors/codes.js';
import { escapeHtml } from '../../escape-html.js';
import type { Deps } from '../deps.js';
import { mailFor } from '../mail-settings.js';
import type { Channel } from './channels.js';
import { guardChallenge } from './guard.js';

export const CODE_SECRET = 'challenge_codes';

/**
 * Sends a verification code, by email or SMS, to the contact the user had when the challenge opened:
 * never to an address the request names, nor to one set after (SPEC §7; docs/security.md). The send
 * slot (5 per challenge, 30 s apart) is claimed before anything goes out, and each user and each
 * destination has its own rate limit, so parallel requests cannot pump messages.
 */
export async function sendChallengeCode(deps: Deps, challenge: ChallengeRecord, channel: Channel, projectName: string): Promise<{ destination: string }> {
  await guardChallenge(deps, challenge);
  const destination = channel === 'email' ? challenge.contact.email : challenge.contact.phone;
  if (!destination)
    throw new AppError(
      'CHALLENGE_NO_DESTINATION',
      `The user had no ${channel === 'email' ? 'email address' : 'phone number'} when this challenge opened: there is nowhere to send a code`,
    );
  const now = deps.now();
  const claim = await deps.store.challenges.claimSend({ challengeId: challenge.id, channel, destination, maxSends: MAX_SENDS, cooldownMs: RESEND_COOLDOWN_MS, now });
  if (!claim.ok) {
    if (claim.reason === 'closed') throw new AppError('CHALLENGE_CLOSED', `This challenge is ${challenge.status}`);
    if (claim.reason === 'too_many') throw new AppError('CHALLENGE_RESEND_TOO_SOON', 'Five codes were sent already: ask the application for a new challenge');
    throw new AppError('CHALLENGE_RESEND_TOO_SOON', `A code was just sent: wait ${Math.ceil((claim.retryAfterMs ?? 0) / 1000)} s before asking for another`);
  }
  const code = newCode();
  try {
    await deps.rateLimiter.take('code_user', challenge.userId);
    await deps.rateLimiter.take('code_destination', `${channel}:${destination.toLowerCase()}`);
    await deliver(deps, challenge, channel, destination, code, projectName);
  } catch (error) {
    await claim.release();
    if (error instanceof DeliveryError) throw new AppError('CHALLENGE_DELIVERY_FAILED', error.message);
    throw error;
  }
  const secret = await deps.store.instanceSecrets.get(CODE_SECRET, now);
  await deps.store.challenges.saveCode({ challengeId: challenge.id, channel, destination, codeHash: hashCode(secret, challenge.id, code), expiresAt: now + CODE_TTL_MS }, now);
  return { destination };
}

async function deliver(deps: Deps, challenge: ChallengeRecord, channel: Channel, destination: string, code: string, projectName: string): Promise<void> {
  const text = `${code} is your ${projectName} verification code. It expires in 10 minutes. If you did not ask for it, ignore this message.`;
  if (channel === 'sms') return deps.delivery.sms({ to: destination, text });
  const mail = await mailFor(deps, challenge.projectId);
  await deps.delivery.email(
    {
      to: destination,
      subject: `${code} is your ${projectName} verification code`,
      text,
      html: `<p><strong>${code}</strong> is your ${escapeHtml(projectName)} verification code.</p><p>It expires in 10 minutes. If you did not ask for it, ignore this message.</p>`,
    },
    mail?.settings ?? null,
  );
}
