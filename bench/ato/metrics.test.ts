import { describe, expect, it } from 'vitest';
import type { EventKind } from './generate.js';
import { auc, challengedShareMedian, evaluateScores, formatTable, median, thresholdFor } from './metrics.js';

describe('thresholdFor', () => {
  it('is the ⌈TPR·m⌉-th highest attack score', () => {
    expect(thresholdFor([4, 9, 2], 0.99)).toBe(2); // ⌈2.97⌉ = 3rd highest
    expect(thresholdFor([4, 9, 2], 0.6)).toBe(4); // ⌈1.8⌉ = 2nd
    expect(thresholdFor([4, 9, 2], 0.33)).toBe(9); // ⌈0.99⌉ = 1st
    expect(thresholdFor([4, 9, 2], 1)).toBe(2);
  });

  it('lands on ties and is not fooled by floating point', () => {
    expect(thresholdFor([5, 5, 5, 1], 0.5)).toBe(5);
    expect(thresholdFor([5, 5, 5, 1], 0.75)).toBe(5); // exactly 3 of 4
    expect(thresholdFor([5, 5, 5, 1], 0.76)).toBe(1);
    // 0.99 × 100 = 99.00000000000001: still the 99th highest, not the 100th.
    const scores = Array.from({ length: 100 }, (_, k) => k + 1);
    expect(thresholdFor(scores, 0.99)).toBe(2);
  });
});

describe('challengedShareMedian', () => {
  it('takes each user’s first n legitimate logins and the median over users (even count: mean of the middle two)', () => {
    const legit = [
      { user: 'A', score: 1 },
      { user: 'A', score: 5 },
      { user: 'B', score: 2 },
      { user: 'B', score: 4 },
      { user: 'A', score: 4 }, // A's third: beyond n = 2
      { user: 'C', score: 9 }, // C has one login only: not counted
    ];
    // threshold 2: A's first two → [1, 5] → ½; B's → [2, 4] → 1 (score = threshold is challenged).
    expect(challengedShareMedian(legit, 2, 2)).toEqual({ median: 0.75, users: 2 });
    expect(challengedShareMedian(legit, 2, 3)).toEqual({ median: 2 / 3, users: 1 });
    expect(challengedShareMedian(legit, 2, 4)).toEqual({ median: null, users: 0 });
  });

  it('median', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe('auc', () => {
  it('counts ties as one half', () => {
    expect(auc([1], [1])).toBe(0.5);
    expect(auc([2, 0], [1, 1])).toBe(0.5);
    // 1 beats 0 and ties 1: 1.5; 2 beats 0, 1 and ties 2: 2.5; (1.5 + 2.5) / 6
    expect(auc([1, 2], [0, 1, 2])).toBeCloseTo(4 / 6, 12);
    expect(auc([5], [1, 2, 3])).toBe(1);
    expect(auc([0], [1, 2, 3])).toBe(0);
  });
});

describe('evaluateScores', () => {
  it('gives threshold, cum@12, cum@40 and AUC per attacker kind', () => {
    const labels: { kind: EventKind }[] = [];
    const users: string[] = [];
    const scores: number[] = [];
    const push = (kind: EventKind, user: string, score: number) => {
      labels.push({ kind });
      users.push(user);
      scores.push(score);
    };
    // X scores 1..12, Y always 0, Z always 100, interleaved; two naive attacks (10 and 20), one vpn (50).
    for (let k = 1; k <= 12; k++) {
      push('legit', 'X', k);
      push('legit', 'Y', 0);
      push('legit', 'Z', 100);
      if (k === 6) push('naive', 'X', 10);
      if (k === 7) push('naive', 'Y', 20);
      if (k === 8) push('vpn', 'Z', 50);
    }
    const [naive, vpn, ...rest] = evaluateScores({ labels, users, scores });
    expect(rest).toEqual([]); // kinds without attacks are left out
    // TPR 0.99 of 2 attacks: ⌈1.98⌉ = 2nd highest = 10. X: 10, 11, 12 challenged → 3/12; Y: 0; Z: 1.
    expect(naive).toMatchObject({ kind: 'naive', tpr: 0.99, threshold: 10, cum12: 0.25, cum40: null, users12: 3, users40: 0, attacks: 2 });
    // AUC: 10 beats 12 zeros and 1..9 and ties 10 → 21.5; 20 beats 24 → 24; over 2 × 36 pairs.
    expect(naive!.auc).toBeCloseTo(45.5 / 72, 12);
    // vpn: threshold 50: only Z's logins → median over X (0), Y (0), Z (1) = 0; 50 beats 24 of 36.
    expect(vpn).toMatchObject({ kind: 'vpn', threshold: 50, cum12: 0 });
    expect(vpn!.auc).toBeCloseTo(24 / 36, 12);
    // Another TPR: 0.5 of 2 → the highest, 20: X none, Y none, Z all → median 0.
    expect(evaluateScores({ labels, users, scores, tpr: { naive: 0.5 } })[0]).toMatchObject({ threshold: 20, cum12: 0 });
    expect(formatTable([naive!, vpn!], 'hand-made')).toContain('| naive | 0.99 | 10 | 25.0 % | n/a | 0.6319 | 2 | 3 | 0 |');
  });

  it('refuses mismatched lengths and NaN scores', () => {
    expect(() => evaluateScores({ labels: [{ kind: 'legit' }], users: ['a'], scores: [] })).toThrow(/differ/);
    expect(() => evaluateScores({ labels: [{ kind: 'legit' }], users: ['a'], scores: [Number.NaN] })).toThrow(/NaN/);
  });
});
