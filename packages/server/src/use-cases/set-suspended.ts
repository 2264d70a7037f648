import type { UserRecord } from '@vigil/store';
import { accountOf, emitWebhook } from '../webhooks/events.js';
import type { Deps } from './deps.js';

/** Suspends a user or lifts it from the API (`user.suspended` / `user.unsuspended`); null: no such user. */
export async function setSuspended(deps: Deps, projectId: string, externalId: string, suspended: boolean): Promise<UserRecord | null> {
  const before = await deps.store.users.find(projectId, externalId);
  const user = await deps.store.users.setSuspended(projectId, externalId, suspended);
  // Only a change is an event: suspending a suspended user tells nobody anything.
  if (user && before && before.suspended !== suspended) {
    const account = accountOf(externalId);
    await emitWebhook(deps, projectId, suspended ? 'user.suspended' : 'user.unsuspended', { data: { user: account, by: 'api' }, account });
  }
  return user;
}
