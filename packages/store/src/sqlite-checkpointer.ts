import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Copies SQLite's write-ahead log back into the database file from a worker thread, on its own
 * connection. SQLite does it by default inside the commit that crosses 1,000 pages of log: on the event
 * loop, with two fsyncs, which was half of what committing cost and the longest pauses an evaluation
 * saw. Here it runs beside the server (PASSIVE: it never blocks a writer).
 *
 * A passive checkpoint copies what was committed when it began; the log starts over from its beginning
 * only when a writer finds every frame copied. Under steady writes (1,000 evaluations/s) that never
 * happens from the worker alone: commits land while it copies, the log grew pass after pass to the
 * server connection's own threshold, and that checkpoint (on the event loop, fsyncing tens of MB of
 * log) stalled every evaluation for 15–20 ms about once a second. So the worker copies in passes until
 * what is left is small, and then says so (`onCopied`): the server's connection copies that little
 * itself, between two transactions (database.ts, `betweenTransactions`: 1–2 ms, mostly its two
 * fsyncs), and its next commit starts the log over. Every 100 ms rather than 250: the rest, and so that
 * pause, is smaller (p99 at a paced 1,000/s 6.5–6.9 ms against 7.3–8.9 ms).
 *
 * The connection is asked to copy the rest only once the log holds `restartFrames`: its copy ends with
 * two fsyncs, on the event loop whatever the rest's size, and that is what an evaluation waits for
 * (`DEFAULT_WAL_BYTES` says how long, and how often). (In a quiet moment, when a pass copied everything,
 * the log starts over by itself, so a server that is not busy keeps a small log.)
 */
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.file);
db.pragma('busy_timeout = 1000');
const checkpoint = () => db.pragma('wal_checkpoint(PASSIVE)')[0];
let reported = 0;
const timer = setInterval(() => {
  try {
    let pass = checkpoint();
    // Again while a pass found much that was new: what commits during a pass is left for the next.
    for (let more = 0, before = 0; more < 3 && !pass.busy && pass.log - before > workerData.smallFrames; more++) {
      before = pass.log;
      pass = checkpoint();
    }
    if (!pass.busy && pass.log >= workerData.restartFrames && pass.checkpointed === pass.log && pass.log !== reported) parentPort.postMessage(pass.log);
    reported = pass.log;
  } catch {}
}, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); process.exit(0); });
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export interface CheckpointerOptions {
  /** The worker is gone (it could not open the file, say); the caller checkpoints itself again. */
  onFailure(err: Error): void;
  /** The worker copied the log; what is left is small enough to finish on the caller's connection. */
  onCopied(): void;
  everyMs?: number;
  /** Frames of log before it starts over (from `DEFAULT_WAL_BYTES` unless told). */
  restartFrames: number;
}

export function startCheckpointer(file: string, options: CheckpointerOptions): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const workerData = { file, driver, everyMs: options.everyMs ?? 100, smallFrames: SMALL_REMAINDER_FRAMES, restartFrames: options.restartFrames };
  const worker = new Worker(WORKER, { eval: true, workerData });
  // A worker's error would otherwise be thrown in the server: losing the helper must never stop it.
  worker.on('error', options.onFailure);
  worker.on('message', () => options.onCopied());
  // It never keeps the process alive: a CLI command ends when its work does.
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      // Held now: a caller awaiting the stop (a store's close) must not see the process end first with
      // its await unsettled (a CLI command's last act is closing its store).
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}

/**
 * How large the log grows before it starts over (256 MB: 65,536 pages of 4 kB), unless told (`walBytes`,
 * VIGIL_SQLITE_WAL_MB). Each time costs the event loop the connection's copy of the rest and its two
 * fsyncs: 1–2 ms on a quiet disk, 5–39 ms (median 12–16) while the disk also wrote 40 MB/s of log and
 * copies at a paced 1,000/s. So this sets how often an evaluation waits for the disk: at that rate a
 * warm evaluation writes 7.4 pages of log (1.1 evaluations a commit), so 256 MB is about every 9 s. A
 * busy server's database grows faster than that (~2.5 kB per evaluation, and 9 GB an hour at that rate);
 * one that is not busy never fills it. Against 16 MB (the default before): 58 copies on the event loop in
 * 30 s at that rate against 4, and +4.9 % and +7.5 % warm throughput in alternating closed-loop rounds.
 * On a later day the paced A/B leaned to 16 MB, within the machine's swing, and 256 MB made the server
 * read ~5 times more from the disk (docs/architecture.md, "The paced tail on a faster day").
 */
export const DEFAULT_WAL_BYTES = 256 * 1024 * 1024;

/**
 * Pages of log past which the server's own connection checkpoints anyway, as SQLite does by default (at
 * every commit past it, on the event loop): twice the restart threshold, for a worker that fell behind.
 */
export function fallbackCheckpointPages(restartFrames: number): number {
  return Math.max(10_000, 2 * restartFrames);
}

/** Frames a pass may leave for the next without another pass: about ten evaluations' worth. */
const SMALL_REMAINDER_FRAMES = 128;
