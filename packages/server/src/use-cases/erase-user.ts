import type { Project, UserErasure } from '@vigil/store';
import { AppError } from '../errors/codes.js';
import type { Deps } from './deps.js';

/**
 * Erases a user for a GDPR request (SPEC §11): their evaluations, challenges and codes, sightings,
 * device conflicts, the devices and fingerprints only they used, list entries naming them, webhook
 * deliveries about them and the user itself, in one transaction (the store's). Production key or operator
 * only (the route family is production's): users are shared by both environments.
 */
export async function eraseUser(deps: Deps, project: Project, externalId: string): Promise<UserErasure> {
  const erased = await deps.store.erasure.eraseUser(project.id, externalId);
  if (!erased) throw new AppError('USER_NOT_FOUND', `No user ${externalId} in this project`);
  return erased;
}
