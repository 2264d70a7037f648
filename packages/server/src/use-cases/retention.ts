import type { Project, PurgeResult } from '@vigil/store';
import type { Deps } from './deps.js';

const DAY_MS = 86_400_000;
export const MAX_RETENTION_DAYS = 3650;

/** How long the project keeps evaluations: its own setting, else the instance's VIGIL_RETENTION_DAYS. */
export const retentionMsOf = (deps: Pick<Deps, 'config'>, project: Pick<Project, 'retentionDays'>) =>
  project.retentionDays === null ? deps.config.retentionMs : project.retentionDays * DAY_MS;

/** The project's retention as the settings API shows it. */
export function presentRetention(deps: Pick<Deps, 'config'>, project: Pick<Project, 'retentionDays'>) {
  return {
    days: retentionMsOf(deps, project) / DAY_MS,
    source: project.retentionDays === null ? ('instance' as const) : ('project' as const),
    instance_days: deps.config.retentionMs / DAY_MS,
  };
}

/**
 * Deletes what every project keeps past its retention (SPEC §11): the server runs this at start and
 * every hour; `vigil`'s tests run it directly. Returns what went, per project id.
 */
export async function purgeExpired(deps: Pick<Deps, 'config' | 'store' | 'now'>): Promise<Map<string, PurgeResult>> {
  const now = deps.now();
  const purged = new Map<string, PurgeResult>();
  const projects = await deps.store.projects.list();
  // PostgreSQL: a month every project is done with goes whole, before any row is deleted one by one.
  const longest = Math.max(deps.config.retentionMs, ...projects.map((p) => retentionMsOf(deps, p)));
  await deps.store.retention.rollPartitions(now, now - longest);
  for (const project of projects) {
    purged.set(project.id, await deps.store.retention.purge(project.id, now - retentionMsOf(deps, project)));
  }
  return purged;
}
