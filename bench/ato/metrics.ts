// How a scorer does on a labelled stream, per attacker model.
//
//   const DEFAULT_TPR: Record<AttackKind, number>
//   interface KindResult { kind; tpr; threshold; cum12; cum40; auc; attacks; users12; users40 }
//   function evaluateScores(input: { labels: readonly { kind: EventKind }[]; users: readonly string[];
//                                    scores: readonly number[]; tpr?: Partial<Record<AttackKind, number>> }): KindResult[]
//   function thresholdFor(attackScores: readonly number[], tpr: number): number
//   function challengedShareMedian(legit: readonly { user: string; score: number }[], threshold: number, n: number): { median: number | null; users: number }
//   function auc(attackScores: readonly number[], sortedLegit: readonly number[]): number
//   function formatTable(results: readonly KindResult[], title?: string): string
//
// Definitions (higher score = riskier; events in stream order):
//  - threshold: the highest t such that the share of that kind's attacks scoring ≥ t is ≥ the TPR, i.e.
//    the ⌈TPR·m⌉-th highest attack score. A legitimate login is challenged when its score ≥ t.
//  - cum@N: over users with at least N legitimate logins, the median of the share of their first N
//    legitimate logins that are challenged (the cumulative re-authentication rate of Wiefling et al.
//    2022, RQ1, at login history size N).
//  - AUC: the Mann–Whitney probability that an attack of that kind outscores a legitimate login, ties
//    counting one half, over all legitimate logins.
// TPRs: 0.99 for naive, vpn and targeted; 0.78 for very targeted (Wiefling et al. report 0.7816 there: an
// attacker with the victim's ASN and user agent is beyond what the IP/UA model can catch at 0.99).
import { ATTACK_KINDS, type AttackKind, type EventKind } from './generate.js';

export const DEFAULT_TPR: Record<AttackKind, number> = { naive: 0.99, vpn: 0.99, targeted: 0.99, very_targeted: 0.78 };

export interface KindResult {
  kind: AttackKind;
  tpr: number;
  threshold: number;
  /** Null when no user has that many legitimate logins. */
  cum12: number | null;
  cum40: number | null;
  auc: number;
  attacks: number;
  users12: number;
  users40: number;
}

export interface EvaluateInput {
  labels: readonly { kind: EventKind }[];
  /** The user of each event, in the same order. */
  users: readonly string[];
  scores: readonly number[];
  tpr?: Partial<Record<AttackKind, number>>;
}

export function evaluateScores({ labels, users, scores, tpr = {} }: EvaluateInput): KindResult[] {
  if (labels.length !== scores.length || labels.length !== users.length) {
    throw new Error(`labels (${labels.length}), users (${users.length}) and scores (${scores.length}) differ in length`);
  }
  scores.forEach((s, i) => {
    if (Number.isNaN(s)) throw new Error(`score of event ${i} is NaN`);
  });
  const legit: { user: string; score: number }[] = [];
  const attacks = new Map<AttackKind, number[]>(ATTACK_KINDS.map((k) => [k, []]));
  labels.forEach(({ kind }, i) => {
    if (kind === 'legit') legit.push({ user: users[i]!, score: scores[i]! });
    else attacks.get(kind)!.push(scores[i]!);
  });
  const sortedLegit = legit.map((l) => l.score).sort((a, b) => a - b);
  return ATTACK_KINDS.filter((kind) => attacks.get(kind)!.length > 0).map((kind) => {
    const attackScores = attacks.get(kind)!;
    const rate = tpr[kind] ?? DEFAULT_TPR[kind];
    const threshold = thresholdFor(attackScores, rate);
    const at12 = challengedShareMedian(legit, threshold, 12);
    const at40 = challengedShareMedian(legit, threshold, 40);
    return {
      kind,
      tpr: rate,
      threshold,
      cum12: at12.median,
      cum40: at40.median,
      auc: auc(attackScores, sortedLegit),
      attacks: attackScores.length,
      users12: at12.users,
      users40: at40.users,
    };
  });
}

/** The ⌈tpr·m⌉-th highest attack score (the highest threshold that still catches a `tpr` share). */
export function thresholdFor(attackScores: readonly number[], tpr: number): number {
  if (attackScores.length === 0) throw new Error('no attack scores');
  if (!(tpr > 0 && tpr <= 1)) throw new Error(`TPR must be in (0, 1], got ${tpr}`);
  const sorted = [...attackScores].sort((a, b) => b - a);
  // 0.99 × 100 is 99.00000000000001 in floating point: a hair of tolerance keeps ⌈·⌉ honest.
  const k = Math.max(1, Math.ceil(tpr * sorted.length - 1e-9));
  return sorted[k - 1]!;
}

/** Median over users with ≥ n legitimate logins of the challenged share of their first n (in order). */
export function challengedShareMedian(legit: readonly { user: string; score: number }[], threshold: number, n: number): { median: number | null; users: number } {
  const progress = new Map<string, { seen: number; challenged: number }>();
  const shares: number[] = [];
  for (const { user, score } of legit) {
    let p = progress.get(user);
    if (!p) {
      p = { seen: 0, challenged: 0 };
      progress.set(user, p);
    }
    if (p.seen >= n) continue;
    p.seen++;
    if (score >= threshold) p.challenged++;
    if (p.seen === n) shares.push(p.challenged / n);
  }
  return { median: median(shares), users: shares.length };
}

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** P(attack > legit) + ½·P(attack = legit), legit scores sorted ascending. */
export function auc(attackScores: readonly number[], sortedLegit: readonly number[]): number {
  if (attackScores.length === 0 || sortedLegit.length === 0) return Number.NaN;
  let total = 0;
  for (const s of attackScores) {
    const below = lowerBound(sortedLegit, s);
    const equal = upperBound(sortedLegit, s) - below;
    total += below + equal / 2;
  }
  return total / (attackScores.length * sortedLegit.length);
}

/** First index whose value is ≥ x. */
function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose value is > x. */
function upperBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)} %`);

function formatThreshold(t: number): string {
  if (!Number.isFinite(t)) return String(t);
  if (t !== 0 && (Math.abs(t) < 1e-3 || Math.abs(t) >= 1e6)) return t.toExponential(3);
  return String(Number(t.toPrecision(4)));
}

/** A markdown table: one row per attacker model. */
export function formatTable(results: readonly KindResult[], title?: string): string {
  const lines = [
    ...(title ? [`### ${title}`, ''] : []),
    '| attacker | TPR | threshold | cum@12 | cum@40 | AUC | attacks | users ≥12 | users ≥40 |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map((r) =>
      [
        '',
        r.kind,
        r.tpr.toFixed(2),
        formatThreshold(r.threshold),
        pct(r.cum12),
        pct(r.cum40),
        r.auc.toFixed(4),
        r.attacks.toLocaleString('en-US'),
        r.users12.toLocaleString('en-US'),
        r.users40.toLocaleString('en-US'),
        '',
      ]
        .join(' | ')
        .trim(),
    ),
  ];
  return lines.join('\n');
}
