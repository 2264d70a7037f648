// Account-takeover quality (issue 15, docs/ato.md): a synthetic labelled login stream (bench/ato/generate.ts,
// calibrated to the published RBA dataset statistics) replayed through Vigil's decision core, before and
// after familiarity, beside the Freeman et al. model and naive weighted checks on the same stream, for two
// seeds. Metric (bench/ato/metrics.ts): at the threshold that catches a fixed share of each attacker
// model's attacks (TPR), the median share of a user's first 12 / 40 legitimate logins that would be
// challenged (cum@12 / cum@40), and the AUC. Tables go to stdout and bench/results/ato.md.
// `ATO_USERS=4000 npm run bench -- ato` runs a smaller stream (quicker, noisier).
import { writeFileSync } from 'node:fs';
import { riskTables, scoreRisk } from '@vigil/core';
import { Intel } from '@vigil/intel';
import { type ReplayLearning, Replayer } from '@vigil/server';
import { FEATURE_FAMILIES, without } from './ato/ablations.js';
import { Atlas } from './ato/atlas.js';
import { scoreFreeman } from './ato/freeman.js';
import { generateStream, type Stream } from './ato/generate.js';
import { mainAto } from './ato/main-ato.js';
import { evaluateScores, formatTable, type KindResult } from './ato/metrics.js';
import { scoreNaiveChecks } from './ato/naive-checks.js';
import type { BenchRow, BenchStage } from './run.js';

const SEEDS = [1, 2];
const users = Number(process.env.ATO_USERS ?? 20_000);
const scale = users / 20_000;
const ato = riskTables.find((t) => t.category === 'ato')!;

function replay(intel: Intel, stream: Stream, options: { learning: ReplayLearning; risks?: typeof riskTables; withChecks?: boolean }) {
  const replayer = new Replayer(intel, { ...options, ...(options.risks ? { risks: options.risks } : {}) });
  const started = process.hrtime.bigint();
  const results = stream.events.map((e) => replayer.evaluate({ i: e.i, at: Date.parse(e.ts), user: e.user, ip: e.ip, ua: e.ua }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { results, perSecond: stream.events.length / seconds };
}

const pct = (x: number | null) => (x === null ? 'n/a' : (x * 100).toFixed(0));
const cell = (r: KindResult) => `${pct(r.cum12)} / ${pct(r.cum40)} % (AUC ${r.auc.toFixed(3)})`;

const stage: BenchStage = {
  stage: 'ato',
  async run(): Promise<BenchRow[]> {
    const intel = Intel.load();
    const atlas = Atlas.build();
    const rows: BenchRow[] = [];
    const report: string[] = ['# ato quality (npm run bench -- ato)', '', `Stream: ${users} users, seeds ${SEEDS.join(' and ')}. Cells: cum@12 / cum@40 (AUC).`, ''];
    for (const seed of SEEDS) {
      const stream = generateStream({ seed, atlas, users, attacks: Math.round(25_000 * scale) });
      const eventUsers = stream.events.map((e) => e.user);
      const evaluate = (scores: number[]) => evaluateScores({ labels: stream.labels, users: eventUsers, scores });
      const table: [string, KindResult[]][] = [];
      const logins = stream.events.map((e) => ({ user: e.user, ip: e.ip, ua: e.ua }));
      table.push(['Freeman et al. (IP + UA)', evaluate(scoreFreeman(logins, { intel }))]);
      table.push(['naive weighted checks', evaluate(scoreNaiveChecks(logins, { intel }))]);
      const main = replay(intel, stream, { learning: 'every', risks: riskTables.map((t) => (t.category === 'ato' ? mainAto : t)) });
      table.push(['main before (its weights, learns every login)', evaluate(main.results.map((r) => r.score))]);
      const after = replay(intel, stream, { learning: 'allowed', withChecks: true });
      table.push(['**Vigil now** (familiarity, learns what is allowed and not high)', evaluate(after.results.map((r) => r.score))]);
      for (const learning of ['trusted', 'every'] as const) {
        const other = replay(intel, stream, { learning });
        table.push([
          `learning rule: ${learning === 'trusted' ? 'low risk only, pending never settled' : 'every login (no trust rule)'}`,
          evaluate(other.results.map((r) => r.score)),
        ]);
      }
      for (const [family, checks] of Object.entries(FEATURE_FAMILIES)) {
        const reduced = without(ato, checks);
        table.push([`ablation: without ${family}`, evaluate(after.results.map((r) => scoreRisk(reduced, r.all ?? {}).score))]);
      }
      const kinds = table[0]![1].map((r) => `${r.kind} (TPR ${r.tpr})`);
      report.push(`## seed ${seed}: ${stream.events.length.toLocaleString('en-US')} logins`, '', `| scorer | ${kinds.join(' | ')} |`, `|---|${kinds.map(() => '---').join('|')}|`);
      for (const [name, results] of table) report.push(`| ${name} | ${results.map(cell).join(' | ')} |`);
      report.push('', formatTable(table[3]![1], `Vigil now, seed ${seed}, in full`), '');
      rows.push({ name: `seed ${seed}: replay, events/s`, opsPerSec: after.perSecond, baseline: seed === SEEDS[0], note: 'Vigil now' });
      rows.push({ name: `seed ${seed}: main's table, events/s`, opsPerSec: main.perSecond });
      for (const [name, results] of [table[0]!, table[2]!, table[3]!]) {
        rows.push({ name: `seed ${seed}: ${name.replaceAll('*', '')}`, note: results.map((r) => `${r.kind} ${pct(r.cum12)}/${pct(r.cum40)}% AUC ${r.auc.toFixed(3)}`).join('; ') });
      }
    }
    const text = report.join('\n');
    process.stdout.write(`${text}\n`);
    writeFileSync(new URL('results/ato.md', import.meta.url), `${text}\n`);
    return rows;
  },
};

export default stage;
