import type { Environment, Project } from '@vigil/store';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors/codes.js';
import type { Deps } from '../use-cases/deps.js';

export interface ServerAuth {
  project: Project;
  environment: Environment;
}

/** `Authorization: Bearer <secret key>` → the project it opens. The key itself is never logged or echoed. */
export async function authenticateSecretKey(deps: Deps, request: FastifyRequest): Promise<ServerAuth> {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw new AppError('MISSING_SECRET_KEY', 'Send your secret key as Authorization: Bearer <secret key>');
  const auth = await deps.store.projects.findBySecretKey(match[1], deps.now());
  if (!auth) throw new AppError('INVALID_SECRET_KEY', 'The secret key is not valid (unknown, rotated away or expired)');
  return auth;
}
