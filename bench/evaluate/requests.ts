// The evaluation bodies the bench sends, and the two workloads it measures.
import { randomBytes } from 'node:crypto';
import type autocannon from 'autocannon';

/** A server under load: where it listens, its process (for /proc), and the headers every request needs. */
export interface Target {
  url: string;
  pid: number;
  headers: Record<string, string>;
}

/** Hands out one request body after another (a JSON string). */
export interface Workload {
  next(): string;
}

/** Public unicast addresses (from 23.0.0.0), one per n: a private or reserved address could take another path through the IP checks. */
export function ipv4(n: number): string {
  const v = 0x17000000 + n;
  return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
}

/** One login: the user, and the email, IP and device they always come with. */
export function evaluationBody(user: string, ipIndex: number): string {
  return JSON.stringify({
    action: 'login',
    user,
    email: `${user}@example.com`,
    ip: ipv4(ipIndex),
    fingerprint: `fp_${user}`,
    user_agent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36',
    metadata: { plan: 'pro' },
  });
}

/** Warm: `users` users in turn, each always with their own email, IP and device — all known once each has been seen. */
export function warmWorkload(users: number): Workload {
  let i = 0;
  return { next: () => evaluationBody(`user-${i % users}`, i++ % users) };
}

// Cold addresses start far above any warm user's, so that a cold request's IP is new too.
const COLD_IPS_FROM = 10_000_000;

/**
 * Cold: a user, email, IP and device never seen before on every request. The random prefix keeps user
 * ids unique across rounds and runs; the counter, never reset, keeps the IPs unique across rounds.
 */
export function coldWorkload(): Workload {
  const prefix = randomBytes(4).toString('hex');
  let i = 0;
  return {
    next: () => {
      const n = i++;
      return evaluationBody(`cold-${prefix}-${n}`, COLD_IPS_FROM + n);
    },
  };
}

/** The workload as autocannon's request list: POST /v3/evaluations, a fresh body each time. */
export function autocannonRequests(target: Target, workload: Workload): autocannon.Request[] {
  return [{ method: 'POST', path: '/v3/evaluations', headers: target.headers, setupRequest: (req) => ({ ...req, body: workload.next() }) }];
}
