import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { Intel } from '@vigil/intel';
import type { Config } from '../../config/config.js';
import { LoginEventError, parseLoginLine } from '../../replay/login-event.js';
import { REPLAY_LEARNINGS, type ReplayLearning, Replayer } from '../../replay/replayer.js';
import { parse, UsageError } from '../args.js';
import type { Io } from '../main.js';

/**
 * `vigil replay --input F --output G [--learning allowed|trusted|every]`: evaluates a JSONL login stream
 * (`{"i","ts","user","ip","ua"}`, sorted by `ts`) offline, each at its own time, and writes one
 * `{"i","score","severity","checks"}` line per input line. Starts empty, reads no clock and no network:
 * the same input gives the same output, byte for byte, and a line's output depends only on the lines
 * before it.
 */
export async function replay(config: Config, args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { input: { type: 'string' }, output: { type: 'string' }, learning: { type: 'string' } });
  if (!values.input || !values.output) throw new UsageError('usage: vigil replay --input EVENTS.jsonl --output SCORES.jsonl [--learning allowed|trusted|every]');
  const learning = (values.learning ?? 'allowed') as ReplayLearning;
  if (!REPLAY_LEARNINGS.includes(learning)) throw new UsageError(`--learning is one of ${REPLAY_LEARNINGS.join(', ')}`);
  const replayer = new Replayer(Intel.load({ referenceDir: config.referenceDir }), { learning, retentionMs: config.retentionMs });
  const input = createReadStream(values.input);
  const output = createWriteStream(values.output);
  let position = 0;
  let previous = Number.NEGATIVE_INFINITY;
  let failure: string | null = null;
  const started = process.hrtime.bigint();
  try {
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      position++;
      if (line.trim() === '') continue;
      try {
        const event = parseLoginLine(line, position - 1);
        if (event.at < previous) throw new LoginEventError('the input must be sorted by "ts"; this line is earlier than the one before it');
        previous = event.at;
        if (!output.write(`${JSON.stringify(replayer.evaluate(event))}\n`)) await once(output, 'drain');
      } catch (err) {
        if (!(err instanceof LoginEventError)) throw err;
        failure = `${values.input}:${position}: ${err.message}`;
        break;
      }
    }
  } finally {
    output.end();
    await once(output, 'close');
  }
  if (failure !== null) {
    io.err(`vigil replay: ${failure} (the output holds the lines before it)`);
    return 1;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  io.err(`vigil replay: ${position} lines in ${seconds.toFixed(1)} s (${learning} learning)`);
  return 0;
}
