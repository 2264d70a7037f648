import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { cpuMicros, mainThreadCpuMicros } from './process-usage.js';

/**
 * Keeps this thread busy until the process has used `ms` more of CPU time (this thread is the one using
 * it; CPU time, not the clock's, since a loaded machine may take longer).
 */
function spinOnThisThread(ms: number): void {
  const until = process.cpuUsage().user + ms * 1000;
  while (process.cpuUsage().user < until) {
    // busy
  }
}

describe('process usage from /proc', () => {
  it("counts the main thread's CPU apart from the process's other threads", async () => {
    // A worker spins while the main thread waits for it: the process's time grows, its main thread's
    // hardly (Linux counts in ticks of 10 ms, so each read is within a tick).
    const mainBefore = mainThreadCpuMicros(process.pid);
    const allBefore = cpuMicros(process.pid);
    const worker = new Worker(`const until = process.cpuUsage().user + 300_000; while (process.cpuUsage().user < until) {}`, { eval: true });
    await new Promise((resolve, reject) => worker.once('exit', resolve).once('error', reject));
    const mainAfterWorker = mainThreadCpuMicros(process.pid);
    const allAfterWorker = cpuMicros(process.pid);
    expect(allAfterWorker - allBefore).toBeGreaterThanOrEqual(250_000);
    expect(mainAfterWorker - mainBefore).toBeLessThan(150_000);

    spinOnThisThread(300);
    const mainAfterSpin = mainThreadCpuMicros(process.pid);
    expect(mainAfterSpin - mainAfterWorker).toBeGreaterThanOrEqual(250_000);
    // The main thread is one of the process's threads: never more than all of them.
    expect(mainAfterSpin).toBeLessThanOrEqual(cpuMicros(process.pid));
  });
});
