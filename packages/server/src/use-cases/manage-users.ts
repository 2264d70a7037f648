import type { UserDevice, UserRecord } from '@vigil/store';
import type { ServerAuth } from '../auth/secret-key.js';
import { AppError } from '../errors/codes.js';
import type { Deps } from './deps.js';

export const userNotFound = (id: string) => new AppError('USER_NOT_FOUND', `No user ${id} in this project`);

/** A user by the application's id (or a signup's pending identity). */
export async function findUser(deps: Deps, auth: ServerAuth, id: string): Promise<UserRecord> {
  const user = await deps.store.users.find(auth.project.id, id);
  if (!user) throw userNotFound(id);
  return user;
}

/** The user's devices, most recently seen first. */
export async function userDevices(deps: Deps, auth: ServerAuth, id: string): Promise<UserDevice[]> {
  return deps.store.users.devices((await findUser(deps, auth, id)).id);
}

/** Changes only the fields given (a changed contact is no longer verified). */
export async function updateUser(
  deps: Deps,
  auth: ServerAuth,
  id: string,
  changes: { email?: string | null; phone?: string | null; metadata?: Record<string, unknown>; groups?: string[] },
): Promise<void> {
  if (!(await deps.store.users.update(auth.project.id, id, changes))) throw userNotFound(id);
}
