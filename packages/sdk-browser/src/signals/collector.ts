/**
 * One signal the SDK reads from the browser. `stable` signals (the same across reloads, restarts,
 * resizes, zoom and networks) make up the fingerprint; the others are sent as attributes only.
 */
export interface Collector {
  readonly name: string;
  readonly stable: boolean;
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
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), budgetMs);
    });
    const value = await Promise.race([Promise.resolve().then(() => collector.collect()), timeout]);
    return { value: value === undefined ? null : value, ms: round(now() - started) };
  } catch (error) {
    return { error: error instanceof Error ? error.message || error.name : String(error), ms: round(now() - started) };
  } finally {
    clearTimeout(timer);
  }
}
