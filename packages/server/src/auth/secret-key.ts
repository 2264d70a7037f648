import type { Environment, Project } from '@vigil/store';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors/codes.js';
import { requireOperatorSession } from '../operators/sessions.js';
import type { Deps } from '../use-cases/deps.js';

export interface ServerAuth {
  project: Project;
  environment: Environment;
}

/**
 * `Authorization: Bearer <secret key>` → the project it opens. The key itself is never logged or echoed.
 * The dashboard calls the same API as an operator instead: its session cookie, the session's CSRF token
 * in `x-vigil-csrf` (on every call, reads too) and the project in `x-vigil-project`.
 */
export async function authenticateSecretKey(deps: Deps, request: FastifyRequest): Promise<ServerAuth> {
  const header = request.headers.authorization;
  if (header === undefined && request.headers['x-vigil-project'] !== undefined) return authenticateOperatorSession(deps, request);
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw new AppError('MISSING_SECRET_KEY', 'Send your secret key as Authorization: Bearer <secret key>');
  const auth = await deps.store.projects.findBySecretKey(match[1], deps.now());
  if (!auth) throw new AppError('INVALID_SECRET_KEY', 'The secret key is not valid (unknown, rotated away or expired)');
  return auth;
}

async function authenticateOperatorSession(deps: Deps, request: FastifyRequest): Promise<ServerAuth> {
  await requireOperatorSession(deps, request, { csrf: true });
  const id = String(request.headers['x-vigil-project']);
  const project = id.length <= 64 ? await deps.store.projects.findById(id) : null;
  if (!project) throw new AppError('PROJECT_NOT_FOUND', `No project ${id}`);
  return { project, environment: 'production' };
}
