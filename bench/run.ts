// `npm run bench`: runs every stage in bench/*.bench.ts (or those named: `npm run bench -- evaluate`),
// prints a table per stage with each row's ratio to the stage's baseline row (measured in the same run:
// these machines are noisy, ratios travel better than absolutes), and writes bench/results/<stage>.json.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

export interface BenchRow {
  name: string;
  /** Operations per second (higher is better). */
  opsPerSec?: number;
  p50Ms?: number;
  p99Ms?: number;
  maxMs?: number;
  /** The measured server process's CPU time (user + system) per operation, µs. */
  cpuUsPerOp?: number;
  /** Of which its main thread's, µs: what bounds the rate of a Node process (its JavaScript runs there). */
  mainCpuUsPerOp?: number;
  /** The measured server process's resident memory, MB. */
  rssMb?: number;
  /**
   * The ratio to the baseline when the stage measured it itself (e.g. paired rounds against the
   * baseline); otherwise the table divides opsPerSec by the baseline row's.
   */
  ratio?: number;
  note?: string;
  /** The row every other row is compared with. */
  baseline?: boolean;
}

export interface BenchStage {
  stage: string;
  run(): Promise<BenchRow[]>;
}

const dir = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)));

const fmt = (n: number | undefined, digits = 0) => (n === undefined ? '' : n.toLocaleString('en-US', { maximumFractionDigits: digits }));

for (const file of files) {
  const { default: stage } = (await import(new URL(file, import.meta.url).href)) as { default: BenchStage };
  process.stdout.write(`\n# ${stage.stage}\n`);
  const rows = await stage.run();
  const base = rows.find((r) => r.baseline);
  const ratio = (r: BenchRow) => r.ratio ?? (base?.opsPerSec && r.opsPerSec ? r.opsPerSec / base.opsPerSec : undefined);
  // Columns only some stages fill are shown only when a row has them.
  const has = (key: keyof BenchRow) => rows.some((r) => r[key] !== undefined);
  const table = rows.map((r) => ({
    row: r.name,
    'ops/s': fmt(r.opsPerSec),
    'ratio to baseline': ratio(r) === undefined ? '' : `${ratio(r)!.toFixed(3)}×`,
    'p50 ms': fmt(r.p50Ms, 2),
    'p99 ms': fmt(r.p99Ms, 2),
    ...(has('maxMs') ? { 'max ms': fmt(r.maxMs, 2) } : {}),
    ...(has('cpuUsPerOp') ? { 'cpu µs/op': fmt(r.cpuUsPerOp) } : {}),
    ...(has('mainCpuUsPerOp') ? { 'main thread µs/op': fmt(r.mainCpuUsPerOp) } : {}),
    ...(has('rssMb') ? { 'rss MB': fmt(r.rssMb) } : {}),
    note: r.note ?? '',
  }));
  console.table(table);
  mkdirSync(new URL('results/', import.meta.url), { recursive: true });
  writeFileSync(
    new URL(`results/${stage.stage}.json`, import.meta.url),
    `${JSON.stringify({ stage: stage.stage, at: new Date().toISOString(), node: process.version, cpus: cpus().length, rows }, null, 2)}\n`,
  );
}
