// npx tsx bench/ato/make-stream.ts --seed 1 --out DIR [--users 20000] [--attacks 25000] [--days 365] [--start 2026-01-01T00:00:00Z]
// Writes DIR/events.jsonl and DIR/labels.jsonl (stream-files.ts) and prints how long it took and what the
// stream looks like through intel's eyes (generate.ts describeStream).
import { parseArgs } from 'node:util';
import { Atlas } from './atlas.js';
import { describeStream, generateStream } from './generate.js';
import { writeStream } from './stream-files.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    out: { type: 'string' },
    users: { type: 'string' },
    attacks: { type: 'string' },
    days: { type: 'string' },
    start: { type: 'string' },
  },
});
if (!values.out) {
  process.stderr.write('usage: make-stream.ts --seed N --out DIR [--users N] [--attacks N] [--days N] [--start ISO]\n');
  process.exit(2);
}
const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));
const seed = /^\d+$/.test(values.seed) ? Number(values.seed) : values.seed;

const t0 = Date.now();
const atlas = Atlas.build();
const t1 = Date.now();
const stream = generateStream({ seed, atlas, users: num(values.users), attacks: num(values.attacks), days: num(values.days), start: values.start });
const t2 = Date.now();
const files = writeStream(values.out, stream);
const t3 = Date.now();
const stats = describeStream(stream, atlas);
process.stdout.write(
  `${JSON.stringify(
    {
      seed,
      files,
      seconds: { atlas: (t1 - t0) / 1000, generate: (t2 - t1) / 1000, write: (t3 - t2) / 1000, total: (t3 - t0) / 1000 },
      atlas: atlas.summary(),
      stats,
    },
    null,
    2,
  )}\n`,
);
