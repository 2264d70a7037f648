import type { Environment, Project } from '@vigil/store';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors/codes.js';
import { SESSION_COOKIE, sameSecret, sessionOf } from '../operators/sessions.js';
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
  if (header === undefined && request.headers['x-vigil-project'] !== undefined) return authenticateOperator(deps, request);
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw new AppError('MISSING_SECRET_KEY', 'Send your secret key as Authorization: Bearer <secret key>');
  const auth = await deps.store.projects.findBySecretKey(match[1], deps.now());
  if (!auth) throw new AppError('INVALID_SECRET_KEY', 'The secret key is not valid (unknown, rotated away or expired)');
  return auth;
}

async function authenticateOperator(deps: Deps, request: FastifyRequest): Promise<ServerAuth> {
  const session = await sessionOf(deps, request.cookies[SESSION_COOKIE]);
  if (!session) throw new AppError('NOT_LOGGED_IN', 'Log in at /dashboard/login');
  if (!sameSecret(String(request.headers['x-vigil-csrf'] ?? ''), session.csrfToken)) throw new AppError('CSRF_TOKEN_INVALID', "Send the session's x-vigil-csrf header");
  const id = String(request.headers['x-vigil-project']);
  const project = id.length <= 64 ? await deps.store.projects.findById(id) : null;
  if (!project) throw new AppError('PROJECT_NOT_FOUND', `No project ${id}`);
  return { project, environment: 'production' };
}
