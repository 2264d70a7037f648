import type { Project } from '@vigil/store';
import type { Deps } from './deps.js';

export async function issueNonce(deps: Deps, project: Project, deviceCookieId: string): Promise<string> {
  return deps.store.nonces.issue({ projectId: project.id, deviceCookieId, now: deps.now(), ttlMs: deps.config.nonceTtlMs });
}
