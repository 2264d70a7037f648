// `npm run bench -- cluster`: one Vigil node against two, on one PostgreSQL and one Redis, and above all
// the CPU each process spends per evaluation. This machine has 2 cores, so two nodes cannot show their
// real scaling here; what predicts it is the database's share: while PostgreSQL + Redis spend less per
// evaluation than a node does, adding nodes (on their own cores) adds throughput until the database's
// cores are full. ARCHITECTURE.md budget (issue 18): PostgreSQL + Redis ≤ 0.5× a node's CPU per evaluation.
//
// PostgreSQL is the machine's own server (VIGIL_BENCH_DATABASE_URL, default 127.0.0.1:5432), in a
// throwaway schema; its CPU is that of every process named `postgres` (its postmaster, the backends of
// the nodes' connections, its writers), read from /proc: run nothing else against it meanwhile. Redis is
// the bench's own `redis-server`. The load generator (autocannon, 16 connections split over the nodes,
// 2,000 warm users) runs in this process, and its CPU is reported too.
//
// Then the browser's path on one node (bench/evaluate/browser-loop.ts): each login a nonce and the
// evaluation that presents it, from 2,000 browsers with their own device cookie and address. It writes
// more per evaluation (the nonce, the device's rows) and answers two requests; the budget is judged on
// the backend's evaluations above, and this row shows how far the browser's path is from it.
//
// BENCH_SECONDS: length of a round (5); rounds alternate 1 node, 2 nodes, 1 node, …
import { startRedis } from '../e2e/support/redis-server.js';
import type { BenchRow, BenchStage } from './run.js';
import { type BrowserTarget, browserLoop, browsers } from './evaluate/browser-loop.js';
import { CONNECTIONS, closedLoop, type Round } from './evaluate/closed-loop.js';
import { benchSchemaName, dropSchema, postgresUnavailable, postgresUrl, shownUrl } from './evaluate/postgres.js';
import { cpuMicros, cpuMicrosByProcess, cpuMicrosSince } from './evaluate/process-usage.js';
import { type Target, warmWorkload } from './evaluate/requests.js';
import { median } from './evaluate/stats.js';
import { type BenchVigil, startBenchVigil } from './evaluate/vigil-server.js';

const USERS = 2_000;
const ROUNDS = 3;
const ROUND_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

const progress = (text: string) => process.stderr.write(`  ${text}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** One round's answers and each process's CPU time per answered evaluation. */
interface ClusterRound {
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
  /** µs per evaluation: every node together, PostgreSQL, Redis, the load generator. */
  nodes: number;
  postgres: number;
  redis: number;
  generator: number;
}

/** Loads `targets` at once for a round (the connections split between them) and reads every process's CPU. */
async function round(targets: Target[], redisPid: number, load: (target: Target, connections: number) => Promise<Round> = backendLoad): Promise<ClusterRound> {
  const before = { nodes: targets.map((t) => cpuMicros(t.pid)), postgres: cpuMicrosByProcess('postgres'), redis: cpuMicros(redisPid), generator: process.cpuUsage() };
  const rounds: Round[] = await Promise.all(targets.map((t) => load(t, CONNECTIONS / targets.length)));
  const generatorUsage = process.cpuUsage(before.generator);
  const answered = rounds.reduce((n, r) => n + r.answered, 0);
  const per = (micros: number) => micros / answered;
  return {
    opsPerSec: rounds.reduce((n, r) => n + r.opsPerSec, 0),
    // The nodes' percentiles differ little; the worse one is what a client behind the balancer sees.
    p50Ms: Math.max(...rounds.map((r) => r.p50Ms)),
    p99Ms: Math.max(...rounds.map((r) => r.p99Ms)),
    failures: rounds.reduce((n, r) => n + r.non2xx + r.errors, 0),
    nodes: per(targets.reduce((n, t, i) => n + cpuMicros(t.pid) - before.nodes[i]!, 0)),
    postgres: per(cpuMicrosSince(before.postgres, cpuMicrosByProcess('postgres'))),
    redis: per(cpuMicros(redisPid) - before.redis),
    generator: per(generatorUsage.user + generatorUsage.system),
  };
}

/** The backend's evaluations (a secret key), by autocannon. */
function backendLoad(target: Target, connections: number): Promise<Round> {
  return closedLoop(target, warmWorkload(USERS), { seconds: ROUND_SECONDS }, connections);
}

function rows(label: string, rounds: ClusterRound[], extra: Partial<BenchRow> = {}, budget = 'budget ≤ 0.5×'): BenchRow[] {
  const m = (pick: (r: ClusterRound) => number) => median(rounds.map(pick));
  const failures = rounds.reduce((n, r) => n + r.failures, 0);
  // A node's CPU per evaluation it answers (every evaluation is answered by one node).
  const perNode = m((r) => r.nodes);
  const database = m((r) => r.postgres + r.redis);
  const note = `median of ${rounds.length} rounds of ${ROUND_SECONDS} s${failures ? `; ${failures} non-2xx or errors` : ''}`;
  return [
    {
      name: `${label}: evaluations`,
      opsPerSec: m((r) => r.opsPerSec),
      p50Ms: m((r) => r.p50Ms),
      p99Ms: m((r) => r.p99Ms),
      cpuUsPerOp: m((r) => r.nodes),
      note: `cpu: every node together; ${note}`,
      ...extra,
    },
    { name: `${label}: PostgreSQL`, cpuUsPerOp: m((r) => r.postgres), note: 'every postgres process' },
    { name: `${label}: Redis`, cpuUsPerOp: m((r) => r.redis) },
    { name: `${label}: load generator`, cpuUsPerOp: m((r) => r.generator), note: 'in the bench process' },
    {
      name: `${label}: PostgreSQL + Redis per node's`,
      cpuUsPerOp: database,
      ratio: database / perNode,
      note: `ratio: database CPU / one node's CPU per evaluation (${fmt(perNode)} µs); ${budget}`,
    },
  ];
}

const stage: BenchStage = {
  stage: 'cluster',
  async run() {
    const unavailable = await postgresUnavailable();
    if (unavailable) {
      const note = `skipped: no PostgreSQL answered at ${shownUrl(postgresUrl)} (${unavailable}); VIGIL_BENCH_DATABASE_URL sets another`;
      progress(note);
      return [{ name: 'cluster', note }];
    }
    const redis = await startRedis();
    const schema = benchSchemaName();
    const nodes: BenchVigil[] = [];
    try {
      // TRUSTED_PROXIES: the browsers' addresses come in X-Forwarded-For (the backend's, in its body).
      const env = { DATABASE_URL: postgresUrl, DATABASE_SCHEMA: schema, REDIS_URL: redis.url, TRUSTED_PROXIES: '127.0.0.1' };
      nodes.push(await startBenchVigil(env));
      nodes.push(await startBenchVigil(env, { secretKey: nodes[0]!.secretKey }));
      const redisPid = redis.pid()!;
      // Every user seen once (on both nodes: each warms its JIT), as in steady traffic.
      progress(`seeing ${USERS} users once`);
      await Promise.all(nodes.map((node) => closedLoop(node, warmWorkload(USERS), { amount: USERS })));
      const one: ClusterRound[] = [];
      const two: ClusterRound[] = [];
      const said = (x: ClusterRound) => `${fmt(x.opsPerSec)}/s (node ${fmt(x.nodes)} µs, PostgreSQL ${fmt(x.postgres)} µs, Redis ${fmt(x.redis)} µs per evaluation)`;
      for (let r = 1; r <= ROUNDS; r++) {
        one.push(await round([nodes[0]!], redisPid));
        two.push(await round(nodes, redisPid));
        progress(`round ${r}/${ROUNDS}: 1 node ${said(one.at(-1)!)}; 2 nodes ${said(two.at(-1)!)}`);
      }
      // The browsers' rounds come after, not between: what their writes leave PostgreSQL to do (vacuum,
      // a checkpoint and the full pages written after it) would be counted in the rounds that follow.
      const browser: BrowserTarget = { ...nodes[0]!, clientId: nodes[0]!.clientId! };
      const users = browsers(USERS);
      progress(`seeing ${USERS} browsers once`);
      await browserLoop(browser, users, { amount: USERS }, CONNECTIONS);
      const browserLoad = (_: Target, connections: number) => browserLoop(browser, users, { seconds: ROUND_SECONDS }, connections);
      const fromBrowsers: ClusterRound[] = [];
      for (let r = 1; r <= ROUNDS; r++) {
        fromBrowsers.push(await round([nodes[0]!], redisPid, browserLoad));
        progress(`round ${r}/${ROUNDS}: browsers, 1 node ${said(fromBrowsers.at(-1)!)}`);
      }
      return [...rows('1 node', one, { baseline: true }), ...rows('2 nodes', two), ...rows('browsers, 1 node', fromBrowsers, {}, "no budget yet (judged on the backend's rows)")];
    } finally {
      for (const node of nodes) await node.stop();
      await redis.close();
      await dropSchema(schema);
    }
  },
};
export default stage;
