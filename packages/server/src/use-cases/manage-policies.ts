import type { StoredPolicy } from '@vigil/store';
import type { ServerAuth } from '../auth/secret-key.js';
import { AppError } from '../errors/codes.js';
import type { Deps } from './deps.js';
import { findPolicy } from './save-policy.js';

// Reading and removing policies; saving them (each save a new version) is save-policy.ts.

/** The key's environment's policies, in the order they run. */
export async function listPolicies(deps: Deps, auth: ServerAuth): Promise<StoredPolicy[]> {
  return deps.store.policies.list(auth.project.id, auth.environment);
}

/** Deletes a policy of the key's environment; its versions stay readable (evaluations name them). */
export async function deletePolicy(deps: Deps, auth: ServerAuth, id: string): Promise<void> {
  await findPolicy(deps, auth, id);
  await deps.store.policies.remove(auth.project.id, id, deps.now());
  deps.policies.invalidate(auth.project.id);
}

/** A policy's versions, newest first; like every policy route, only the key's environment's. */
export async function listPolicyVersions(deps: Deps, auth: ServerAuth, id: string) {
  const versions = await deps.store.policies.versions(auth.project.id, id, auth.environment);
  if (!versions) throw new AppError('POLICY_NOT_FOUND', `No policy ${id} in this project`);
  return versions;
}
