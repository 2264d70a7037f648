import type { EvaluationRecord, Project } from '@vigil/store';
import { AppError } from '../errors/codes.js';
import type { Deps } from './deps.js';

export async function getEvaluation(deps: Deps, project: Project, id: string): Promise<EvaluationRecord> {
  // Another project's evaluation is "not found" too: a key never learns what exists outside its project.
  const evaluation = await deps.store.evaluations.find(project.id, id);
  if (!evaluation) throw new AppError('EVALUATION_NOT_FOUND', `No evaluation ${id} in this project`);
  return evaluation;
}
