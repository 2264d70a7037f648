import type { ChallengeRecord } from '@vigil/store';
import type { ServerAuth } from '../../auth/secret-key.js';
import { AppError } from '../../errors/codes.js';
import type { Deps } from '../deps.js';

/**
 * A challenge of the key's project and environment (its evaluation's): another project's, or another
 * environment's, is "not found", like one that does not exist.
 */
export async function loadChallenge(deps: Deps, auth: ServerAuth, id: string): Promise<ChallengeRecord> {
  const challenge = await deps.store.challenges.find(auth.project.id, id, auth.environment);
  if (!challenge) throw new AppError('CHALLENGE_NOT_FOUND', `No challenge ${id} in this project`);
  return challenge;
}
