import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Intel } from '@vigil/intel';

const manifestTime = (dir: string) => {
  try {
    return statSync(join(dir, 'manifest.json')).mtimeMs;
  } catch {
    return null;
  }
};

/**
 * Polls the reference data's manifest (written last, atomically, by `vigil data update`) and, when it
 * changes, hands over a function that builds the reloaded Intel from the current one. Polling rather
 * than fs.watch: it works the same on every file system, and a few seconds' delay is fine for lists.
 */
export function watchReferenceData(dir: string, onChange: (reload: (current: Intel) => Intel) => void, everyMs = 5_000): NodeJS.Timeout {
  let seen = manifestTime(dir);
  const timer = setInterval(() => {
    const now = manifestTime(dir);
    if (now === null || now === seen) return;
    seen = now;
    onChange((current) => current.reloadLists(dir));
  }, everyMs);
  timer.unref();
  return timer;
}
