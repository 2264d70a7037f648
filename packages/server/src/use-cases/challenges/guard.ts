import type { ChallengeRecord } from '@vigil/store';
import type { Deps } from '../deps.js';

/** Every request about one challenge, from the page or the API, counts against its rate limit (`challenge`). */
export async function guardChallenge(deps: Deps, challenge: Pick<ChallengeRecord, 'id'>): Promise<void> {
  await deps.rateLimiter.take('challenge', challenge.id);
}
