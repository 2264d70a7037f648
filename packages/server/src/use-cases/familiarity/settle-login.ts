import type { Deps } from '../deps.js';
import { retentionMsOf } from '../retention.js';

/**
 * Settles a pending login's trust in the user's familiar set: the backend consumed it or its user passed
 * its verification (`trusted`: learned now), or the verification failed (`untrusted`: dropped). A login
 * that was not pending (learned at once, never to be learned, or development traffic) is left as it is.
 */
export async function settleLogin(deps: Deps, login: { projectId: string; userId: string; evaluationId: string }, outcome: 'trusted' | 'untrusted'): Promise<void> {
  const project = await deps.store.projects.findById(login.projectId);
  if (!project) return;
  await deps.store.familiarity.settle(login.userId, login.evaluationId, outcome, retentionMsOf(deps, project));
}
