import type { ContactForms, Project, UserErasure } from '@vigil/store';
import { AppError } from '../errors/codes.js';
import type { Deps } from './deps.js';
import { normalizeListValue } from '@vigil/core';

/**
 * A stored contact as given and as a list holds it (core's normalizeListValue: the one form the API
 * adds entries in and a policy's add_to_list adds them in), and, for an email, as a policy's
 * add_to_list added it before lists had one form (trimmed, lower case, valid address or not).
 */
const contactForms: ContactForms = (kind, value) => {
  const forms = [value, normalizeListValue(kind, value), kind === 'email' ? value.trim().toLowerCase() : null];
  return [...new Set(forms.filter((form): form is string => form !== null))];
};

/**
 * Erases a user for a GDPR request (SPEC §11): their evaluations, challenges and codes, sightings,
 * device conflicts, the devices and fingerprints only they used, list entries naming them, webhook
 * deliveries about them and the user itself, in one transaction (the store's). Production key or operator
 * only (the route family is production's): users are shared by both environments.
 */
export async function eraseUser(deps: Deps, project: Project, externalId: string): Promise<UserErasure> {
  const erased = await deps.store.erasure.eraseUser(project.id, externalId, contactForms);
  if (!erased) throw new AppError('USER_NOT_FOUND', `No user ${externalId} in this project`);
  return erased;
}
