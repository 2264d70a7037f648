import type { EvaluationRecord, Project } from '@vigil/store';
import { AppError } from '../errors/codes.js';
import type { Deps } from './deps.js';

/** Confirms an evaluation for exactly one action: the second confirmation is refused. */
export async function consumeEvaluation(deps: Deps, project: Project, id: string): Promise<EvaluationRecord> {
  const result = await deps.store.evaluations.consume(project.id, id, deps.now());
  if (result.status === 'not_found') throw new AppError('EVALUATION_NOT_FOUND', `No evaluation ${id} in this project`);
  if (result.status === 'already_consumed') {
    throw new AppError('EVALUATION_ALREADY_CONSUMED', `Evaluation ${id} was already consumed; an evaluation confirms one action only`);
  }
  return result.evaluation;
}
