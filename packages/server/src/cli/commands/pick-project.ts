import type { Project, Store } from '@vigil/store';
import { UsageError } from '../args.js';

/** The project named by --project, or the only one there is. */
export async function pickProject(store: Store, id: string | undefined): Promise<Project> {
  if (id !== undefined) {
    const project = await store.projects.findById(id);
    if (!project) throw new UsageError(`no project ${id} (see \`vigil project list\`)`);
    return project;
  }
  const projects = await store.projects.list();
  if (projects.length === 1) return projects[0]!;
  throw new UsageError(projects.length === 0 ? 'there is no project yet' : `there are ${projects.length} projects: name one with --project ID (see \`vigil project list\`)`);
}
