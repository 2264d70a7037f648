import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ipListSources } from '../ip/lists.js';
import { MANIFEST, type Manifest, readManifest, ReferenceFiles } from './reference-files.js';
import { iprangesUpstreams, upstreams } from './upstreams.js';

export interface UpdateResult {
  list: string;
  status: 'updated' | 'failed';
  entries?: number;
  error?: string;
}

const entries = (text: string) => text.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#')).length;

/**
 * Refreshes every list that has an upstream into `dir` (the data directory's reference copy), one list at
 * a time: a list is replaced only when all its files arrived and look like the list (not empty, not an
 * error page, at least half as many entries as before), so a failed download never loses data. `from`
 * replaces the upstream hosts with a mirror laid out like the data directory (tests, air-gapped sites).
 */
export async function updateReferenceData(options: { dir: string; from?: string; fetch?: typeof fetch; now?: Date }): Promise<UpdateResult[]> {
  const fetchFn = options.fetch ?? fetch;
  const now = options.now ?? new Date();
  const all = { ...upstreams, ...iprangesUpstreams(ipListSources) };
  const current = ReferenceFiles.at(options.dir);
  const manifest: Manifest = readManifest(options.dir);
  const results: UpdateResult[] = [];
  for (const [list, files] of Object.entries(all)) {
    try {
      const fetched: [string, string][] = [];
      for (const [file, url] of Object.entries(files)) {
        const source = options.from ? `${options.from.replace(/\/+$/, '')}/${file}` : url;
        const response = await fetchFn(source, { signal: AbortSignal.timeout(30_000) });
        if (!response.ok) throw new Error(`${source} answered ${response.status}`);
        const text = await response.text();
        if (/^\s*</.test(text)) throw new Error(`${source} sent HTML, not a list`);
        let before = 0;
        try {
          before = entries(readFileSync(current.path(list, file), 'utf8'));
        } catch {
          before = 0;
        }
        const after = entries(text);
        if (after === 0 || after < before / 2) throw new Error(`${source} has ${after} entries where there were ${before}: refused`);
        fetched.push([file, text]);
      }
      for (const [file, text] of fetched) {
        const target = join(options.dir, file);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(`${target}.tmp`, text);
        renameSync(`${target}.tmp`, target);
      }
      manifest.lists[list] = { snapshot: now.toISOString().slice(0, 10), fetchedAt: now.toISOString(), upstream: Object.values(files)[0]! };
      results.push({ list, status: 'updated', entries: fetched.reduce((n, [, t]) => n + entries(t), 0) });
    } catch (error) {
      results.push({ list, status: 'failed', error: (error as Error).message });
    }
  }
  mkdirSync(options.dir, { recursive: true });
  // The manifest last, atomically: a running server reloads when it changes, and sees whole lists only.
  writeFileSync(join(options.dir, `${MANIFEST}.tmp`), `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(join(options.dir, `${MANIFEST}.tmp`), join(options.dir, MANIFEST));
  return results;
}
