import type { LoginSettlement } from '@vigil/core';
import type { Deps } from '../deps.js';
import { retentionMsOf } from '../retention.js';

/**
 * Settles the trust of a login the user's familiar set holds apart: the backend consumed it, or its user
 * passed or failed its verification (core's `settleLogin` says what each does). A login not held (learned
 * at once, refused, or development traffic) is left as it is.
 */
export async function settleLogin(deps: Deps, login: { projectId: string; userId: string; evaluationId: string }, settlement: LoginSettlement): Promise<void> {
  const project = await deps.store.projects.findById(login.projectId);
  if (!project) return;
  await deps.store.familiarity.settle(login.userId, login.evaluationId, settlement, retentionMsOf(deps, project));
}
