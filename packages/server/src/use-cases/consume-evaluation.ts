import type { EvaluationRecord } from '@vigil/store';
import type { ServerAuth } from '../auth/secret-key.js';
import { AppError } from '../errors/codes.js';
import type { Deps } from './deps.js';
import { settleLogin } from './familiarity/settle-login.js';
import { isPendingIdentity } from './pending-identity.js';

/**
 * Confirms an evaluation for exactly one action: the second confirmation is refused. Only the key's own
 * environment's: a development key consuming a production login would confirm it for real.
 *
 * `user`: the application's id of the user. For a signup made before the account had one, this is
 * when the new identity gets it (its history stays with it); for any other evaluation it must be the
 * user the evaluation is about. Either way a refusal leaves the evaluation unconsumed.
 */
export async function consumeEvaluation(deps: Deps, auth: ServerAuth, id: string, options: { user?: string } = {}): Promise<EvaluationRecord> {
  const projectId = auth.project.id;
  const notFound = () => new AppError('EVALUATION_NOT_FOUND', `No evaluation ${id} in this project`);
  let naming: string | null = null;
  if (options.user !== undefined) {
    const before = await deps.store.evaluations.find(projectId, id, auth.environment);
    if (!before) throw notFound();
    const current = before.user.externalId;
    if (isPendingIdentity(current)) {
      const existing = await deps.store.users.find(projectId, options.user);
      if (existing && existing.id !== before.user.id)
        throw new AppError('USER_ALREADY_EXISTS', `This project already has a user ${options.user}; a signup's new identity is never merged into another user`);
      naming = current;
    } else if (current !== options.user) {
      throw new AppError('USER_MISMATCH', `Evaluation ${id} is about another user`);
    }
  }
  const result = await deps.store.evaluations.consume(projectId, id, deps.now(), auth.environment);
  if (result.status === 'not_found') throw notFound();
  if (result.status === 'already_consumed') {
    throw new AppError('EVALUATION_ALREADY_CONSUMED', `Evaluation ${id} was already consumed; an evaluation confirms one action only`);
  }
  let evaluation = result.evaluation;
  if (naming !== null && options.user !== undefined) {
    // Another evaluation of the same signup may have named it already; a user of that id created in the
    // meantime (a race with a login) is the one case left to refuse after consuming.
    const renamed = await deps.store.users.rename(projectId, naming, options.user);
    const named = renamed === 'renamed' || (await deps.store.users.find(projectId, options.user))?.id === evaluation.user.id;
    if (!named) throw new AppError('USER_ALREADY_EXISTS', `This project already has a user ${options.user}; a signup's new identity is never merged into another user`);
    evaluation = (await deps.store.evaluations.find(projectId, id, auth.environment)) ?? evaluation;
  }
  // The backend honoured it: a login held apart at medium risk now belongs to the user's familiar set.
  await settleLogin(deps, { projectId, userId: evaluation.user.id, evaluationId: id }, 'consumed');
  return evaluation;
}
