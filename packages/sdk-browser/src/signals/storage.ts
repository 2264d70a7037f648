import type { Collector } from './collector.js';

const PROBE_DB = '__vigil_probe';

/**
 * How the browser stores data for this origin: what tells a private window today. Validated on Debian's
 * Chromium 156 and firefox-esr 153 (November 2026), where the older tells no longer hold:
 * - Chromium's storage quota is the same 10 GiB in a normal and an incognito profile (static quota), so
 *   "quota below twice the JS heap limit" is dead; we still report it for older browsers.
 * - Chromium keeps an incognito profile's IndexedDB in an in-memory SQLite database, whose usage is
 *   counted in whole 4 KiB pages (147,456 bytes after one tiny write; a normal profile: 1,684). Holds.
 * - Firefox refuses the origin-private file system in a private window (SecurityError). Holds.
 * - IndexedDB failing to open (Firefox private windows before 115, old Safari) no longer happens on
 *   either browser; reported for the browsers where it still does.
 * The probe database is deleted again, so the page's own storage is left as it was.
 */
export const storage: Collector = {
  name: 'storage',
  stable: false,
  // A cold profile's first IndexedDB open takes 100-190 ms on Debian's Chromium; a page does not
  // change windows, so this runs once, from the SDK's setup.
  oncePerPage: true,
  budgetMs: 400,
  collect: probeStorage,
};

async function probeStorage(): Promise<unknown> {
  // Each probe on its own clock, so a slow one (IndexedDB creating its files on a cold profile) still
  // lets the others report.
  const [estimate, indexeddb, opfs] = await Promise.all([
    within(navigator.storage?.estimate ? navigator.storage.estimate() : Promise.resolve(null), null),
    within(indexedDbProbe(), 'timeout' as const),
    within(opfsProbe(), 'timeout' as const),
  ]);
  const memory = (performance as Performance & { memory?: { jsHeapSizeLimit?: number } }).memory;
  return {
    quota_mb: estimate?.quota !== undefined ? Math.round(estimate.quota / 1048576) : null,
    heap_limit_mb: memory?.jsHeapSizeLimit ? Math.round(memory.jsHeapSizeLimit / 1048576) : null,
    indexeddb,
    opfs,
  };
}

const PROBE_MS = 350;

function within<T, F>(probe: Promise<T>, fallback: F): Promise<T | F> {
  return Promise.race([probe.catch(() => fallback), new Promise<F>((resolve) => setTimeout(() => resolve(fallback), PROBE_MS))]);
}

/** 'paged' when IndexedDB usage is counted in whole pages (in memory), 'ok', or 'failed'. */
async function indexedDbProbe(): Promise<'paged' | 'ok' | 'failed' | 'absent'> {
  if (typeof indexedDB === 'undefined') return 'absent';
  try {
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.open(PROBE_DB, 1);
      request.onupgradeneeded = () => request.result.createObjectStore('probe');
      request.onerror = () => reject(request.error);
      request.onsuccess = () => {
        const db = request.result;
        const tx = db.transaction('probe', 'readwrite');
        tx.objectStore('probe').put(1, 'probe');
        tx.oncomplete = () => {
          db.close();
          resolve();
        };
        tx.onerror = () => {
          db.close();
          reject(tx.error);
        };
      };
    });
  } catch {
    return 'failed';
  }
  const usage = (await navigator.storage?.estimate?.()) as (StorageEstimate & { usageDetails?: { indexedDB?: number } }) | undefined;
  indexedDB.deleteDatabase(PROBE_DB);
  const bytes = usage?.usageDetails?.indexedDB;
  return typeof bytes === 'number' && bytes > 0 && bytes % 4096 === 0 ? 'paged' : 'ok';
}

async function opfsProbe(): Promise<'ok' | 'refused' | 'absent'> {
  if (!navigator.storage?.getDirectory) return 'absent';
  try {
    await navigator.storage.getDirectory();
    return 'ok';
  } catch {
    return 'refused';
  }
}
