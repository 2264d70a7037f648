// POST /v3/evaluations on the real `vigil start` (its own process, LOG_LEVEL=info as users run it),
// against a bare Fastify echo of the same request in its own process (bench/evaluate/echo-server.mjs):
// the echo is what any Node HTTP server pays for the request, so the ratio is what Vigil adds.
// ARCHITECTURE.md budget: ≥ 0.25× the echo, warm and cold; p99 ≤ 10 ms at a paced 1,000/s.
//
// Throughput: closed loop (autocannon, 16 connections) in rounds that alternate echo, warm, cold, echo,
// warm, cold…, so that a machine slowing down or speeding up touches both sides alike; each row is the
// median of its rounds, and its ratio the median of each round against the echo round just before it.
// CPU per request is the server process's (all its threads) and, beside it, its main thread's alone: a
// Node server's JavaScript, HTTP and SQLite statements all run there, so that is what bounds its rate.
// Latency: an open loop at 1,000/s (bench/evaluate/open-loop.ts), timed from each request's scheduled
// send. Then the same on PostgreSQL, when one answers.
//
// BENCH_ROUNDS: how many alternations (5: the echo's own rate has moved by a third between two rounds
// of one run, and a median of three followed it). BENCH_SECONDS: length of a throughput round (5).
// BENCH_PACED_SECONDS: length of a paced run (20; the budget is judged on 60).
import type { BenchRow, BenchStage } from './run.js';
import { closedLoop, type Round } from './evaluate/closed-loop.js';
import { type RunningEcho, startEcho } from './evaluate/echo-process.js';
import { DRAIN_MS, LATE_MS, type OpenLoopResult, openLoop } from './evaluate/open-loop.js';
import { benchSchemaName, dropSchema, postgresUnavailable, postgresUrl, shownUrl } from './evaluate/postgres.js';
import { rssMb } from './evaluate/process-usage.js';
import { coldWorkload, type Target, type Workload, warmWorkload } from './evaluate/requests.js';
import { median } from './evaluate/stats.js';
import { startBenchVigil } from './evaluate/vigil-server.js';

const USERS = 2_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ROUND_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const PACED_SECONDS = Number(process.env.BENCH_PACED_SECONDS ?? 20);
const PACED_RATE = 1_000;

const progress = (text: string) => process.stderr.write(`  ${text}\n`);
const perSec = (n: number) => `${Math.round(n).toLocaleString('en-US')}/s`;

interface Contender {
  name: string;
  target: Target;
  workload: Workload;
}

/** What the echo's rounds measured, gathered across every alternation for the baseline row. */
interface Echo {
  server: RunningEcho;
  workload: Workload;
  rounds: Round[];
}

/** ROUNDS rounds of: echo, then each contender. Returns each contender's rounds and per-round ratios to the echo. */
async function alternate(echo: Echo, contenders: Contender[]): Promise<Map<string, { rounds: Round[]; ratios: number[] }>> {
  const results = new Map(contenders.map((c) => [c.name, { rounds: [] as Round[], ratios: [] as number[] }]));
  for (let r = 1; r <= ROUNDS; r++) {
    const base = await closedLoop(echo.server, echo.workload, { seconds: ROUND_SECONDS });
    echo.rounds.push(base);
    const said = [`echo ${perSec(base.opsPerSec)}`];
    for (const c of contenders) {
      const round = await closedLoop(c.target, c.workload, { seconds: ROUND_SECONDS });
      results.get(c.name)!.rounds.push(round);
      results.get(c.name)!.ratios.push(round.opsPerSec / base.opsPerSec);
      said.push(`${c.name} ${perSec(round.opsPerSec)}`);
    }
    progress(`round ${r}/${ROUNDS}: ${said.join(', ')}`);
  }
  return results;
}

function failures(rounds: Round[]): string {
  const non2xx = rounds.reduce((n, r) => n + r.non2xx, 0);
  const errors = rounds.reduce((n, r) => n + r.errors, 0);
  return non2xx || errors ? `; ${non2xx} non-2xx, ${errors} errors` : '';
}

function throughputRow(name: string, rounds: Round[], extra: Partial<BenchRow> = {}): BenchRow {
  return {
    name,
    opsPerSec: median(rounds.map((r) => r.opsPerSec)),
    cpuUsPerOp: median(rounds.map((r) => r.cpuUsPerOp)),
    mainCpuUsPerOp: median(rounds.map((r) => r.mainCpuUsPerOp)),
    note: `median of ${rounds.length} rounds of ${ROUND_SECONDS} s${failures(rounds)}`,
    ...extra,
  };
}

function pacedRow(name: string, r: OpenLoopResult, extra: Partial<BenchRow> = {}): BenchRow {
  const problems = [
    r.timeouts && `${r.timeouts} unanswered ${DRAIN_MS / 1000} s after the last send (counted as their wait so far, a lower bound)`,
    r.non2xx && `${r.non2xx} non-2xx`,
    r.errors && `${r.errors} errors`,
  ].filter(Boolean);
  const generator =
    r.lateSends > 0
      ? `GENERATOR FELL BEHIND: ${r.lateSends} sends > ${LATE_MS} ms late (max ${r.maxLagMs.toFixed(1)} ms)`
      : `generator on schedule (max lag ${r.maxLagMs.toFixed(1)} ms)`;
  return {
    name,
    p50Ms: r.p50Ms,
    p99Ms: r.p99Ms,
    maxMs: r.maxMs,
    cpuUsPerOp: r.cpuUsPerOp,
    mainCpuUsPerOp: r.mainCpuUsPerOp,
    note: [`${r.ok.toLocaleString('en-US')} of ${r.sent.toLocaleString('en-US')} answered 2xx (${perSec(r.answeredPerSec)})`, ...problems, generator].join('; '),
    ...extra,
  };
}

async function paced(target: Target, workload: Workload): Promise<OpenLoopResult> {
  const result = await openLoop(target, workload, { rate: PACED_RATE, seconds: PACED_SECONDS });
  progress(`paced: ${result.ok}/${result.sent} answered, p99 ${result.p99Ms.toFixed(1)} ms`);
  return result;
}

/** Warm and cold throughput and warm paced latency on one Vigil; `label` names the database in the rows. */
async function measureVigil(echo: Echo, label: string, env: Record<string, string> = {}): Promise<{ throughput: BenchRow[]; paced: BenchRow }> {
  const vigil = await startBenchVigil(env);
  try {
    // Every warm user is seen once before anything is measured, as in steady production traffic where
    // the user, their IP and their device have history. It also warms the JIT for the new-user path.
    progress(`vigil${label}: seeing ${USERS} users once`);
    await closedLoop(vigil, warmWorkload(USERS), { amount: USERS });
    const warm = warmWorkload(USERS);
    const results = await alternate(echo, [
      { name: 'warm', target: vigil, workload: warm },
      { name: 'cold', target: vigil, workload: coldWorkload() },
    ]);
    const latency = await paced(vigil, warm);
    // Memory after all of it: warm users, every cold user, and the paced run's queue.
    const rss = { rssMb: rssMb(vigil.pid) };
    const row = (name: string) => {
      const { rounds, ratios } = results.get(name)!;
      return throughputRow(`evaluate ${name}${label}`, rounds, { ratio: median(ratios), ...rss });
    };
    return { throughput: [row('warm'), row('cold')], paced: pacedRow(`evaluate warm at 1,000/s${label}`, latency, rss) };
  } finally {
    await vigil.stop();
  }
}

async function measurePostgres(echo: Echo): Promise<BenchRow[]> {
  const unavailable = await postgresUnavailable();
  if (unavailable) {
    const note = `skipped: no PostgreSQL answered at ${shownUrl(postgresUrl)} (${unavailable}); VIGIL_BENCH_DATABASE_URL sets another`;
    progress(note);
    return [{ name: 'evaluate (PostgreSQL)', note }];
  }
  const schema = benchSchemaName();
  try {
    const { throughput, paced } = await measureVigil(echo, ' (PostgreSQL)', { DATABASE_URL: postgresUrl, DATABASE_SCHEMA: schema });
    return [...throughput, paced];
  } finally {
    await dropSchema(schema);
  }
}

const stage: BenchStage = {
  stage: 'evaluate',
  async run() {
    const echo: Echo = { server: await startEcho(), workload: warmWorkload(USERS), rounds: [] };
    try {
      // The echo's JIT warms up too, and so does the open-loop generator's (undici in this process):
      // a cold first paced run measured hundreds of milliseconds of compiling on both sides.
      await closedLoop(echo.server, echo.workload, { seconds: 1 });
      await openLoop(echo.server, echo.workload, { rate: PACED_RATE, seconds: 2 });
      progress('echo: paced');
      const echoPaced = await paced(echo.server, echo.workload);
      const sqlite = await measureVigil(echo, '');
      const postgres = await measurePostgres(echo);
      const echoRss = { rssMb: rssMb(echo.server.pid) };
      return [
        throughputRow('echo (baseline)', echo.rounds, { baseline: true, ...echoRss }),
        ...sqlite.throughput,
        pacedRow('echo at 1,000/s', echoPaced, echoRss),
        sqlite.paced,
        ...postgres,
      ];
    } finally {
      await echo.server.stop();
    }
  },
};
export default stage;
