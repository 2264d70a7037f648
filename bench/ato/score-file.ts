// npx tsx bench/ato/score-file.ts --labels L --scores S [--events E] [--tpr-very-targeted 0.78]
// npx tsx bench/ato/score-file.ts --labels L --baseline freeman|naive [--events E] [--write-scores OUT]
// Prints the metrics table (metrics.ts) for a scorer's output S (JSONL {"i","score",...}), or for one of
// the baselines computed here. The events file (for the user of each event; default: events.jsonl next
// to the labels) is needed because cum@N is per user.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { Intel } from '@vigil/intel';
import { scoreFreeman } from './freeman.js';
import { evaluateScores, formatTable } from './metrics.js';
import { scoreNaiveChecks } from './naive-checks.js';
import { readEvents, readLabels, readScores } from './stream-files.js';

const { values } = parseArgs({
  options: {
    labels: { type: 'string' },
    scores: { type: 'string' },
    events: { type: 'string' },
    baseline: { type: 'string' },
    'write-scores': { type: 'string' },
    'tpr-naive': { type: 'string' },
    'tpr-vpn': { type: 'string' },
    'tpr-targeted': { type: 'string' },
    'tpr-very-targeted': { type: 'string' },
  },
});
if (!values.labels || (!values.scores && !values.baseline) || (values.baseline && !['freeman', 'naive'].includes(values.baseline))) {
  process.stderr.write('usage: score-file.ts --labels L (--scores S | --baseline freeman|naive) [--events E] [--write-scores OUT]\n');
  process.exit(2);
}
const labels = readLabels(values.labels);
const events = readEvents(values.events ?? join(dirname(values.labels), 'events.jsonl'));
if (events.length !== labels.length) throw new Error(`${events.length} events but ${labels.length} labels`);

const t0 = Date.now();
let scores: number[];
let title: string;
if (values.baseline) {
  const intel = Intel.load();
  scores = values.baseline === 'freeman' ? scoreFreeman(events, { intel }) : scoreNaiveChecks(events, { intel });
  title = values.baseline === 'freeman' ? 'Freeman et al. (2016), Wiefling et al. implementation' : 'Naive weighted checks';
  if (values['write-scores']) writeFileSync(values['write-scores'], scores.map((score, i) => `${JSON.stringify({ i, score })}\n`).join(''));
} else {
  scores = readScores(values.scores!, labels.length);
  title = values.scores!;
}
const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));
const results = evaluateScores({
  labels,
  users: events.map((e) => e.user),
  scores,
  tpr: { naive: num(values['tpr-naive']), vpn: num(values['tpr-vpn']), targeted: num(values['tpr-targeted']), very_targeted: num(values['tpr-very-targeted']) },
});
process.stdout.write(`${formatTable(results, title)}\n\n(${events.length.toLocaleString('en-US')} events, scored and evaluated in ${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
