import type { ChallengeRecord } from '@vigil/store';
import type { Deps } from '../deps.js';
import { announceChallenge } from './announce.js';
import { guardChallenge } from './guard.js';

/** The hosted page was shown: the first time, the challenge moves from created to presented (`challenge.viewed`). */
export async function presentChallenge(deps: Deps, challenge: ChallengeRecord): Promise<void> {
  await guardChallenge(deps, challenge);
  if (challenge.status === 'created' && (await deps.store.challenges.move(challenge.id, 'presented', deps.now()))) await announceChallenge(deps, challenge.id, 'challenge.viewed');
}
