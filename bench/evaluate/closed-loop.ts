// Closed-loop load with autocannon: 16 connections, each sending its next request as soon as the last
// is answered, so the rate is the most the server gives.
import autocannon from 'autocannon';
import { type CpuPerOp, cpuSince } from './process-usage.js';
import { autocannonRequests, type Target, type Workload } from './requests.js';

export const CONNECTIONS = 16;

/** CPU per operation: the server's, per answered request, µs (all its threads, and its main thread's, which bounds its rate). */
export interface Round extends CpuPerOp {
  /** Answered 2xx per second. */
  opsPerSec: number;
  answered: number;
  /** Latency percentiles of the answers (autocannon's, ms). */
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/** Loads the target for `seconds`, or until `amount` requests were answered, over `connections`. */
export async function closedLoop(target: Target, workload: Workload, length: { seconds: number } | { amount: number }, connections = CONNECTIONS): Promise<Round> {
  const cpu = cpuSince(target.pid);
  const result = await run({
    url: target.url,
    connections,
    ...('seconds' in length ? { duration: length.seconds } : { amount: length.amount }),
    requests: autocannonRequests(target, workload),
  });
  const answered = result['2xx'];
  const perOp = cpu(answered + result.non2xx);
  return {
    opsPerSec: answered / result.duration,
    ...perOp,
    answered,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}
