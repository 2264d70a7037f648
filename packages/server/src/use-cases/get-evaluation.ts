import type { Environment, EvaluationRecord, Project } from '@vigil/store';
import { AppError } from '../errors/codes.js';
import type { Deps } from './deps.js';

/**
 * An evaluation of the project. `environment`: the secret key's, which reads only its environment's
 * evaluations; null: the dashboard's operator, who reads every environment's.
 */
export async function getEvaluation(deps: Deps, project: Project, id: string, environment: Environment | null): Promise<EvaluationRecord> {
  // Another project's or another environment's evaluation is "not found" too: a key never learns what
  // exists outside what it may read.
  const evaluation = await deps.store.evaluations.find(project.id, id, environment ?? undefined);
  if (!evaluation) throw new AppError('EVALUATION_NOT_FOUND', `No evaluation ${id} in this project`);
  return evaluation;
}
