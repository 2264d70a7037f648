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
  const table = rows.map((r) => ({
    row: r.name,
    'ops/s': fmt(r.opsPerSec),
    'ratio to baseline': base?.opsPerSec && r.opsPerSec ? `${(r.opsPerSec / base.opsPerSec).toFixed(3)}×` : '',
    'p50 ms': fmt(r.p50Ms, 2),
    'p99 ms': fmt(r.p99Ms, 2),
    note: r.note ?? '',
  }));
  console.table(table);
  mkdirSync(new URL('results/', import.meta.url), { recursive: true });
  writeFileSync(
    new URL(`results/${stage.stage}.json`, import.meta.url),
    `${JSON.stringify({ stage: stage.stage, at: new Date().toISOString(), node: process.version, cpus: cpus().length, rows }, null, 2)}\n`,
  );
}
