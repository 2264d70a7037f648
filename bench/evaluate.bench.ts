// Evaluate over HTTP on the embedded SQLite database with warm history (ARCHITECTURE.md budget:
// ≥ 3,000 evaluations/s on 2 cores; p99 ≤ 10 ms at 1,000/s). The server is the real `vigil start` in
// its own process; the load comes from autocannon in this one. Baseline: GET /healthz on the same server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { runVigil, startVigil } from '../e2e/support/vigil-process.js';
import type { BenchRow, BenchStage } from './run.js';

const USERS = 1000;
const DURATION_S = 10;

function load(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

function evaluationRequests(secretKey: string): autocannon.Options['requests'] {
  let i = 0;
  return [
    {
      method: 'POST',
      path: '/v3/evaluations',
      headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
      setupRequest: (req) => {
        const n = i++ % USERS;
        return {
          ...req,
          body: JSON.stringify({
            action: 'login',
            user: `user-${n}`,
            email: `user-${n}@example.com`,
            ip: `198.51.${Math.floor(n / 250)}.${n % 250}`,
            fingerprint: `fp${n}`,
            user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0',
            metadata: { plan: 'pro' },
          }),
        };
      },
    },
  ];
}

const row = (name: string, r: autocannon.Result, extra: Partial<BenchRow> = {}): BenchRow => ({
  name,
  opsPerSec: r.requests.average,
  p50Ms: r.latency.p50,
  p99Ms: r.latency.p99,
  note: r.non2xx > 0 || r.errors > 0 ? `${r.non2xx} non-2xx, ${r.errors} errors` : '',
  ...extra,
});

const stage: BenchStage = {
  stage: 'evaluate',
  async run() {
    const dataDir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
    // The load generator is one loopback address and one secret key sending thousands of requests a
    // second, which is what the default limits exist to refuse: they are raised out of its way rather
    // than turned off, so that counting every request is still part of what is measured.
    const env = { VIGIL_DATA_DIR: dataDir, VIGIL_RATE_LIMITS: 'client_ip=999999999/1m,client_id=999999999/1m,api_key=999999999/1m' };
    const { secret_key: secretKey } = JSON.parse((await runVigil(['project', 'create', '--name', 'Bench', '--json'], env)).stdout);
    const vigil = await startVigil(env);
    try {
      const url = vigil.url;
      // Warm: every user already has history (user, IP, fingerprint), as in steady production traffic.
      await load({ url, connections: 8, amount: USERS, requests: evaluationRequests(secretKey) });
      const health = await load({ url: `${url}/healthz`, connections: 16, duration: DURATION_S });
      const evaluate = await load({ url, connections: 16, duration: DURATION_S, requests: evaluationRequests(secretKey) });
      // Paced with few connections: autocannon sends each connection's share in bursts, and 16 bursting
      // connections measure the load generator's queueing rather than the server's latency.
      const paced = await load({ url, connections: 4, duration: DURATION_S, overallRate: 1000, requests: evaluationRequests(secretKey) });
      return [
        row('GET /healthz (baseline)', health, { baseline: true }),
        row('POST /v3/evaluations, max rate', evaluate),
        row('POST /v3/evaluations at 1,000/s', paced),
      ];
    } finally {
      await vigil.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
export default stage;
