/**
 * One signal the SDK reads from the browser. `stable` signals (the same across reloads, restarts,
 * resizes, zoom and networks) make up the fingerprint; the others are sent as attributes only.
 */
export interface Collector {
  readonly name: string;
  readonly stable: boolean;
  /** Overrides the default budget, for a probe that waits on the browser (storage, a worker). */
  readonly budgetMs?: number;
  /**
   * Slow probes whose answer cannot change during a page's life: started when the SDK is set up and run
   * once per page, so an evaluation at the user's action finds them done.
   */
  readonly oncePerPage?: boolean;
  collect(): unknown;
}

/** What one collector produced: its value, or why it failed (a failed probe is itself a signal). */
export type SignalResult = { value: unknown; ms: number } | { error: string; ms: number };

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());
const round = (ms: number) => Math.round(ms * 10) / 10;

/** Runs a collector within its time budget; never throws. */
export async function runCollector(collector: Collector, budgetMs: number): Promise<SignalResult> {
  const started = now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    // The budget starts on the next task, once every collector has started: synchronous collectors run
    // back to back first, and their time must not be charged to an asynchronous one that is waiting
    // for the browser (IndexedDB, a worker) while they run.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => (timer = setTimeout(() => reject(new Error('timeout')), budgetMs)), 0);
    });
    const value = await Promise.race([Promise.resolve().then(() => collector.collect()), timeout]);
    return { value: value === undefined ? null : value, ms: round(now() - started) };
  } catch (error) {
    return { error: error instanceof Error ? error.message || error.name : String(error), ms: round(now() - started) };
  } finally {
    clearTimeout(timer);
  }
}
