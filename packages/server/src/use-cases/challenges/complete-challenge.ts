import type { ChallengeRecord } from '@vigil/store';
import { AppError } from '../../errors/codes.js';
import type { Deps } from '../deps.js';
import { announceChallenge } from './announce.js';
import { guardChallenge } from './guard.js';

/** Completes a verified challenge (the v2 flow's last call; again: a no-op), and announces it. */
export async function completeChallenge(deps: Deps, challenge: ChallengeRecord): Promise<void> {
  await guardChallenge(deps, challenge);
  if (challenge.status === 'completed') return;
  // Only from verified: a verification challenge is completed by its code, never by asking.
  const moved = challenge.status === 'verified' && (await deps.store.challenges.move(challenge.id, 'completed', deps.now()));
  if (!moved) {
    const now = await deps.store.challenges.findById(challenge.id);
    if (now?.status === 'completed') return;
    throw new AppError('CHALLENGE_CLOSED', `Only a verified challenge can be completed; this one is ${now?.status ?? challenge.status}`);
  }
  await announceChallenge(deps, challenge.id, 'challenge.completed');
}
