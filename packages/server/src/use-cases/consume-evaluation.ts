import type { EvaluationRecord } from '@vigil/store';
import type { ServerAuth } from '../auth/secret-key.js';
import { AppError } from '../errors/codes.js';
import type { Deps } from './deps.js';
import { settleLogin } from './familiarity/settle-login.js';

/**
 * Confirms an evaluation for exactly one action: the second confirmation is refused. Only the key's own
 * environment's: a development key consuming a production login would confirm it for real.
 */
export async function consumeEvaluation(deps: Deps, auth: ServerAuth, id: string): Promise<EvaluationRecord> {
  const result = await deps.store.evaluations.consume(auth.project.id, id, deps.now(), auth.environment);
  if (result.status === 'not_found') throw new AppError('EVALUATION_NOT_FOUND', `No evaluation ${id} in this project`);
  if (result.status === 'already_consumed') {
    throw new AppError('EVALUATION_ALREADY_CONSUMED', `Evaluation ${id} was already consumed; an evaluation confirms one action only`);
  }
  // The backend honoured it: a login held apart at medium risk now belongs to the user's familiar set.
  await settleLogin(deps, { projectId: auth.project.id, userId: result.evaluation.user.id, evaluationId: id }, 'consumed');
  return result.evaluation;
}
