import type { ChallengeRecord } from '@vigil/store';
import { AppError } from '../../errors/codes.js';
import type { Deps } from '../deps.js';
import { announceChallenge } from './announce.js';
import { guardChallenge } from './guard.js';

/**
 * Skips a verification, only where the policy allows it (`allow_skip`): the challenge ends `skipped`
 * and the backend sees that when it confirms, and decides. Not once it was verified or closed.
 */
export async function skipChallenge(deps: Deps, challenge: ChallengeRecord): Promise<void> {
  await guardChallenge(deps, challenge);
  if (challenge.config.allow_skip !== true || challenge.method !== 'verification') throw new AppError('CHALLENGE_CLOSED', 'This verification cannot be skipped');
  if (!(await deps.store.challenges.move(challenge.id, 'skipped', deps.now()))) throw new AppError('CHALLENGE_CLOSED', 'This challenge can no longer be skipped');
  await announceChallenge(deps, challenge.id, 'challenge.skipped');
}
