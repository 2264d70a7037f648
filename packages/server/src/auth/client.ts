import type { Project } from '@vigil/store';
import { AppError } from '../errors/codes.js';
import type { Deps } from '../use-cases/deps.js';

/**
 * The client id is public; what protects it is the list of origins allowed to use it. A request from a
 * page on another origin (or with no Origin at all, when the project lists any) is refused.
 */
export async function authenticateClient(deps: Deps, clientId: string, origin: string | undefined): Promise<Project> {
  const project = await deps.store.projects.findByClientId(clientId);
  if (!project) throw new AppError('UNKNOWN_CLIENT_ID', 'No project has this client id');
  if (project.allowedOrigins.length > 0 && (origin === undefined || !project.allowedOrigins.includes(origin.toLowerCase()))) {
    throw new AppError('ORIGIN_NOT_ALLOWED', `Origin ${origin ?? '(none)'} may not use this client id; add it to the project's allowed origins`);
  }
  return project;
}
