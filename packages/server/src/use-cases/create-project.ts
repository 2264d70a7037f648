import type { NewProject } from '@vigil/store';
import { AppError } from '../errors/codes.js';
import type { Deps } from './deps.js';

/** An allowed origin is exactly a browser Origin: scheme, host and port, nothing after. */
export function normalizeOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AppError('VALIDATION_ERROR', `${JSON.stringify(value)} is not an origin such as https://app.example`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname.length > 1 || url.search || url.hash || url.username) {
    throw new AppError('VALIDATION_ERROR', `${JSON.stringify(value)} is not an origin such as https://app.example (no path, query or credentials)`);
  }
  return url.origin;
}

export async function createProject(deps: Pick<Deps, 'store' | 'now'>, input: { name: string; origins: string[] }): Promise<NewProject> {
  const name = input.name.trim();
  if (name.length === 0 || name.length > 100) throw new AppError('VALIDATION_ERROR', 'A project name is 1 to 100 characters');
  const allowedOrigins = [...new Set(input.origins.map(normalizeOrigin))];
  return deps.store.projects.create({ name, allowedOrigins, now: deps.now() });
}
