// The evaluation stream on disk: one JSON object a line, so that any scorer in any language can read it.
//
//   function writeStream(dir: string, stream: Stream): { events: string; labels: string }
//   function readEvents(file: string): LoginEvent[]
//   function readLabels(file: string): EventLabel[]
//   function readScores(file: string, count: number): number[]
//
// events.jsonl: {"i","ts","user","ip","ua"} (exactly those keys, in that order), sorted by ts, i = line.
// labels.jsonl: {"i","kind"} with kind legit | naive | vpn | targeted | very_targeted.
// scores (a scorer's output): {"i","score",...} a line, any order, one per event; other keys ignored.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventLabel, LoginEvent, Stream } from './generate.js';
import { ATTACK_KINDS } from './generate.js';

const KINDS = new Set<string>(['legit', ...ATTACK_KINDS]);

export function writeStream(dir: string, stream: Stream): { events: string; labels: string } {
  mkdirSync(dir, { recursive: true });
  const events = join(dir, 'events.jsonl');
  const labels = join(dir, 'labels.jsonl');
  // Built key by key so the order of keys is part of the format, not an accident of the objects.
  writeFileSync(events, stream.events.map((e) => `${JSON.stringify({ i: e.i, ts: e.ts, user: e.user, ip: e.ip, ua: e.ua })}\n`).join(''));
  writeFileSync(labels, stream.labels.map((l) => `${JSON.stringify({ i: l.i, kind: l.kind })}\n`).join(''));
  return { events, labels };
}

function lines(file: string): unknown[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as unknown);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

export function readEvents(file: string): LoginEvent[] {
  return lines(file).map((row, n) => {
    if (!isRecord(row) || row.i !== n || typeof row.ts !== 'string' || typeof row.user !== 'string' || typeof row.ip !== 'string' || typeof row.ua !== 'string') {
      throw new Error(`${file}:${n + 1}: not an event with i = ${n}`);
    }
    return { i: n, ts: row.ts, user: row.user, ip: row.ip, ua: row.ua };
  });
}

export function readLabels(file: string): EventLabel[] {
  return lines(file).map((row, n) => {
    if (!isRecord(row) || row.i !== n || typeof row.kind !== 'string' || !KINDS.has(row.kind)) throw new Error(`${file}:${n + 1}: not a label with i = ${n}`);
    return { i: n, kind: row.kind as EventLabel['kind'] };
  });
}

/** Scores by event index; every index 0..count-1 must have exactly one. */
export function readScores(file: string, count: number): number[] {
  const scores = new Array<number | undefined>(count).fill(undefined);
  lines(file).forEach((row, n) => {
    if (!isRecord(row) || typeof row.i !== 'number' || !Number.isInteger(row.i) || row.i < 0 || row.i >= count) throw new Error(`${file}:${n + 1}: bad "i"`);
    const score = row.score === null ? Number.NaN : Number(row.score);
    if (typeof row.score !== 'number' || Number.isNaN(score)) throw new Error(`${file}:${n + 1}: "score" is not a number`);
    if (scores[row.i] !== undefined) throw new Error(`${file}:${n + 1}: a second score for event ${row.i}`);
    scores[row.i] = score;
  });
  const missing = scores.indexOf(undefined);
  if (missing >= 0) throw new Error(`${file}: no score for event ${missing}`);
  return scores as number[];
}
