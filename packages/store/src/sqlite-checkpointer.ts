import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Copies SQLite's write-ahead log back into the database file from a worker thread, on its own
 * connection. SQLite does it by default inside the commit that crosses 1,000 pages of log: on the event
 * loop, with two fsyncs, which was half of what committing cost and the longest pauses an evaluation
 * saw. Here it runs beside the server (PASSIVE: it never blocks a writer), and the server's own
 * connection checkpoints only if the log grows far past that (the worker gone or starved).
 */
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.file);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
}, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); process.exit(0); });
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

/** `onFailure`: the worker is gone (it could not open the file, say); the caller checkpoints itself again. */
export function startCheckpointer(file: string, onFailure: (err: Error) => void, everyMs = 250): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { file, driver, everyMs } });
  // A worker's error would otherwise be thrown in the server: losing the helper must never stop it.
  worker.on('error', onFailure);
  // It never keeps the process alive: a CLI command ends when its work does.
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      worker.postMessage('stop');
      await exited;
    },
  };
}

/** Pages of log past which the server's own connection checkpoints anyway (about 40 MB). */
export const FALLBACK_CHECKPOINT_PAGES = 10_000;
