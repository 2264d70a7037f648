// Open-loop load at a fixed rate: request i is sent at start + i/rate whether or not earlier ones were
// answered, and its latency counts from that scheduled time. A closed loop (or autocannon's -R, which
// sends each connection's share in bursts) waits for the server, and so hides the queue a slow server
// builds at a rate it cannot keep: here the queue shows up as latency.
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { type CpuPerOp, cpuSince } from './process-usage.js';
import type { Target, Workload } from './requests.js';
import { percentile } from './stats.js';

export interface OpenLoopOptions {
  rate: number;
  seconds: number;
  /** Enough that at a rate the server keeps, no request waits for a free connection. */
  connections?: number;
  /** How long to wait for the last answers once everything is sent; what is still out then is a timeout. */
  drainMs?: number;
}

/** CPU per operation: the server's, per answer, µs (all its threads, and its main thread's). */
export interface OpenLoopResult extends CpuPerOp {
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Over 2xx answers and timeouts (a timeout counts the time it had waited: a lower bound). */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Sends that left more than LATE_MS after their scheduled time, and the worst lag: the generator's own delay. */
  lateSends: number;
  maxLagMs: number;
  /** 2xx answers per second, over the whole run including the drain. */
  answeredPerSec: number;
}

export const LATE_MS = 5;
export const DRAIN_MS = 30_000;

export async function openLoop(target: Target, workload: Workload, options: OpenLoopOptions): Promise<OpenLoopResult> {
  const { rate, seconds, connections = 64, drainMs = DRAIN_MS } = options;
  const url = new URL(target.url);
  const pool = new Pool(url.origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const total = Math.round(rate * seconds);
  const intervalMs = 1000 / rate;
  const latencies: number[] = [];
  const outstanding = new Map<number, number>(); // request index → scheduled time
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let lateSends = 0;
  let maxLagMs = 0;
  let allAnswered: () => void = () => undefined;

  const send = (i: number, scheduled: number) => {
    const lag = performance.now() - scheduled;
    maxLagMs = Math.max(maxLagMs, lag);
    if (lag > LATE_MS) lateSends++;
    outstanding.set(i, scheduled);
    pool
      .request({ method: 'POST', path: '/v3/evaluations', headers: target.headers, body: workload.next() })
      .then(async (res) => {
        await res.body.dump();
        if (!outstanding.delete(i)) return; // already counted as a timeout
        if (res.statusCode >= 200 && res.statusCode < 300) {
          ok++;
          latencies.push(performance.now() - scheduled);
        } else non2xx++;
      })
      .catch(() => {
        if (outstanding.delete(i)) errors++;
      })
      .finally(() => {
        if (outstanding.size === 0) allAnswered();
      });
  };

  const cpu = cpuSince(target.pid);
  const start = performance.now() + 50; // the first sends are not late for the set-up above
  await new Promise<void>((resolve) => {
    let next = 0;
    const tick = () => {
      const now = performance.now();
      // Everything now due goes out, each with its own scheduled time: a late timer makes a burst
      // here, but the latency still counts from when each request should have left.
      for (; next < total && start + next * intervalMs <= now; next++) send(next, start + next * intervalMs);
      if (next >= total) return resolve();
      setTimeout(tick, Math.max(0, start + next * intervalMs - performance.now()));
    };
    setTimeout(tick, 50);
  });
  if (outstanding.size > 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, drainMs);
      allAnswered = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
  const end = performance.now();
  const perOp = cpu(ok + non2xx);
  const timeouts = outstanding.size;
  for (const scheduled of outstanding.values()) latencies.push(end - scheduled);
  outstanding.clear();
  await pool.destroy(); // aborts what is still queued or in flight
  latencies.sort((a, b) => a - b);
  return {
    sent: total,
    ok,
    non2xx,
    errors,
    timeouts,
    p50Ms: latencies.length ? percentile(latencies, 50) : NaN,
    p99Ms: latencies.length ? percentile(latencies, 99) : NaN,
    maxMs: latencies.at(-1) ?? NaN,
    lateSends,
    maxLagMs,
    answeredPerSec: ok / ((end - start) / 1000),
    ...perOp,
  };
}
