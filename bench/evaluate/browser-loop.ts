// Closed-loop load of the browser's path, as the SDK walks it: a nonce (`POST /v3/client/nonce`), then
// the evaluation that presents it (`POST /v3/client/evaluate`), with the project's client id and an
// allowed Origin. Each user is a browser of its own: the device cookie the server gave it, and its own
// address in `X-Forwarded-For` (the node must trust the loopback as a proxy: TRUSTED_PROXIES=127.0.0.1),
// so that users share no subject, as real browsers do; one address for all would queue every evaluation
// behind one IP's lock. autocannon cannot carry a cookie from one answer to the next request, so this is
// undici, over the same number of connections.
import { Pool } from 'undici';
import type { Round } from './closed-loop.js';
import { cpuSince } from './process-usage.js';
import { ipv4 } from './requests.js';
import { percentile } from './stats.js';

/** A node serving a project's browser: where it listens, its process, and the project's client id. */
export interface BrowserTarget {
  url: string;
  pid: number;
  clientId: string;
}

const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36';
const ORIGIN = 'https://shop.example';

/** `users` browsers, each keeping its device cookie across rounds (on whichever node answers). */
export function browsers(users: number): { cookies: (string | null)[] } {
  return { cookies: Array.from({ length: users }, () => null) };
}

/**
 * Loads `target` with `users`' logins in turn for `seconds`, over `connections`. A login is the two
 * requests; it counts as answered when both are 2xx, and its latency is both together. The CPU is the
 * node's per answered login.
 */
export async function browserLoop(
  target: BrowserTarget,
  users: ReturnType<typeof browsers>,
  length: { seconds: number } | { amount: number },
  connections: number,
): Promise<Round> {
  const pool = new Pool(target.url, { connections, pipelining: 1 });
  const cpu = cpuSince(target.pid);
  const started = performance.now();
  const deadline = 'seconds' in length ? started + length.seconds * 1000 : Number.POSITIVE_INFINITY;
  const amount = 'amount' in length ? length.amount : Number.POSITIVE_INFINITY;
  const latencies: number[] = [];
  let next = 0;
  let non2xx = 0;
  let errors = 0;
  const login = async (i: number) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', origin: ORIGIN, 'user-agent': USER_AGENT, 'x-forwarded-for': ipv4(i) };
    const cookie = users.cookies[i];
    if (cookie) headers.cookie = cookie;
    const asked = await pool.request({ method: 'POST', path: '/v3/client/nonce', headers, body: JSON.stringify({ client_id: target.clientId }) });
    const given = asked.headers['set-cookie'];
    if (given) users.cookies[i] = String(Array.isArray(given) ? given[0] : given).split(';')[0]!;
    if (asked.statusCode !== 200) {
      await asked.body.dump();
      return false;
    }
    const { nonce } = (await asked.body.json()) as { nonce: string };
    headers.cookie = users.cookies[i]!;
    const body = JSON.stringify({ client_id: target.clientId, action: 'login', user: `user-${i}`, nonce, signals: { fingerprint: `fp_user-${i}` } });
    const evaluated = await pool.request({ method: 'POST', path: '/v3/client/evaluate', headers, body });
    await evaluated.body.dump();
    return evaluated.statusCode >= 200 && evaluated.statusCode < 300;
  };
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline && next < amount) {
        const i = next++ % users.cookies.length;
        const at = performance.now();
        try {
          if (await login(i)) latencies.push(performance.now() - at);
          else non2xx++;
        } catch {
          errors++;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const perOp = cpu(latencies.length + non2xx);
  await pool.close();
  latencies.sort((a, b) => a - b);
  const answered = latencies.length;
  return {
    opsPerSec: answered / seconds,
    ...perOp,
    answered,
    p50Ms: answered ? percentile(latencies, 50) : NaN,
    p99Ms: answered ? percentile(latencies, 99) : NaN,
    non2xx,
    errors,
  };
}
