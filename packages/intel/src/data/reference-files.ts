import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundledDataDir } from '../data-dir.js';

/** What `vigil data update` wrote: when each list was fetched, and which files it replaced. */
export interface Manifest {
  lists: Record<string, { snapshot: string; fetchedAt: string; upstream: string }>;
}

export const MANIFEST = 'manifest.json';

export function readManifest(dir: string): Manifest {
  const file = join(dir, MANIFEST);
  if (!existsSync(file)) return { lists: {} };
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    return parsed && typeof parsed.lists === 'object' ? parsed : { lists: {} };
  } catch {
    // A manifest that cannot be read is ignored: the bundled snapshot still works.
    return { lists: {} };
  }
}

/**
 * Where each list's files are read from: the updated copy in the data directory when `vigil data update`
 * fetched that list, else the bundled snapshot; and how old each list is.
 */
export class ReferenceFiles {
  private constructor(
    private readonly updatedDir: string | null,
    private readonly manifest: Manifest,
  ) {}

  static at(updatedDir: string | null): ReferenceFiles {
    return new ReferenceFiles(updatedDir, updatedDir ? readManifest(updatedDir) : { lists: {} });
  }

  path(list: string, file: string): string {
    return this.updatedDir && this.manifest.lists[list] ? join(this.updatedDir, file) : join(bundledDataDir, file);
  }

  snapshot(list: string, bundled: string): string {
    return this.manifest.lists[list]?.snapshot ?? bundled;
  }
}
