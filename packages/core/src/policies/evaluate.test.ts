import { describe, expect, it } from 'vitest';
import type { Condition } from '../types.js';
import { evaluateCondition } from './evaluate.js';
import type { FieldSource } from './fields.js';

const source: FieldSource = {
  checks: { is_new_ip: true, is_new_device: false, device_count: 4, ip_country: 'NO' },
  risks: { ato: 'high', bot: 'low' },
  metadata: { plan: 'pro', amount: 120 },
  action: 'login',
  lists: { vip: true },
  eventCounts: {},
};
const leaf = (field: string, operator: 'eq' | 'gt' | 'gte' | 'lt' | 'in' | 'not_exists', value?: unknown) =>
  ({ field, operator, ...(value === undefined ? {} : { value }) }) as Condition;

describe('evaluateCondition', () => {
  it('traces a leaf with what it expected and what it found', () => {
    expect(evaluateCondition(leaf('device_count', 'gt', 3), source)).toEqual({ node: 'device_count', status: 'matched', operator: 'gt', expected: 3, actual: 4 });
    expect(evaluateCondition(leaf('ip_country', 'in', ['SE', 'DK']), source)).toMatchObject({ status: 'not_matched', actual: 'NO' });
  });

  it('marks a condition on an absent check unknown (false), and not_exists on it matched', () => {
    expect(evaluateCondition(leaf('impossible_travel', 'eq', true), source)).toEqual({ node: 'impossible_travel', status: 'unknown', operator: 'eq', expected: true });
    expect(evaluateCondition(leaf('impossible_travel', 'not_exists'), source).status).toBe('matched');
  });

  it('compares risks by severity, not alphabetically', () => {
    expect(evaluateCondition(leaf('risk:ato', 'gte', 'medium'), source).status).toBe('matched');
    expect(evaluateCondition(leaf('risk:ato', 'gte', 'maximum'), source).status).toBe('not_matched');
    expect(evaluateCondition(leaf('risk:bot', 'lt', 'medium'), source).status).toBe('matched');
    // "low" > "high" alphabetically; by severity it is not.
    expect(evaluateCondition(leaf('risk:bot', 'gt', 'high'), source).status).toBe('not_matched');
    expect(evaluateCondition(leaf('risk:ato', 'in', ['high', 'maximum']), source).status).toBe('matched');
  });

  it('reads metadata, the action and lists', () => {
    expect(evaluateCondition(leaf('metadata.amount', 'gte', 100), source).status).toBe('matched');
    expect(evaluateCondition(leaf('action', 'eq', 'login'), source).status).toBe('matched');
    expect(evaluateCondition(leaf('in_list:vip', 'eq', true), source).status).toBe('matched');
  });

  it('settles all/any at the first decisive child and shows the rest as skipped', () => {
    const tree: Condition = {
      any: [{ all: [leaf('is_new_device', 'eq', true), leaf('is_new_ip', 'eq', true)] }, leaf('is_new_ip', 'eq', true), { not: leaf('device_count', 'gt', 100) }],
    };
    expect(evaluateCondition(tree, source)).toEqual({
      node: 'any',
      status: 'matched',
      children: [
        {
          node: 'all',
          status: 'not_matched',
          children: [
            { node: 'is_new_device', status: 'not_matched', operator: 'eq', expected: true, actual: false },
            { node: 'is_new_ip', status: 'skipped', operator: 'eq', expected: true },
          ],
        },
        { node: 'is_new_ip', status: 'matched', operator: 'eq', expected: true, actual: true },
        { node: 'not', status: 'skipped', children: [{ node: 'device_count', status: 'skipped', operator: 'gt', expected: 100 }] },
      ],
    });
  });

  it('negates with not, including an unknown leaf (false, so not holds)', () => {
    expect(evaluateCondition({ not: leaf('is_new_ip', 'eq', true) }, source).status).toBe('not_matched');
    expect(evaluateCondition({ not: leaf('impossible_travel', 'eq', true) }, source)).toMatchObject({ status: 'matched', children: [{ status: 'unknown' }] });
  });

  it('evaluates deep trees', () => {
    let tree: Condition = leaf('is_new_ip', 'eq', true);
    for (let i = 0; i < 20; i++) tree = i % 2 ? { all: [tree] } : { not: { not: tree } };
    expect(evaluateCondition(tree, source).status).toBe('matched');
  });
});

describe('compiled conditions', () => {
  it('agree with the traced evaluation on thousands of random trees and evaluations', async () => {
    const { compileCondition } = await import('./compile.js');
    // A small deterministic generator (no Math.random: the test must fail the same way every run).
    let seed = 42;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
    const leaves: Condition[] = [
      leaf('is_new_ip', 'eq', true),
      leaf('device_count', 'gt', 2),
      leaf('device_count', 'gte', 4),
      leaf('risk:ato', 'gte', 'high'),
      leaf('risk:bot', 'lt', 'medium'),
      leaf('risk:scraping', 'eq', 'low'),
      leaf('metadata.plan', 'in', ['pro', 'team']),
      leaf('action', 'eq', 'signup'),
      leaf('in_list:vip', 'eq', true),
      leaf('impossible_travel', 'not_exists'),
      { field: 'event_count', params: { action: '*', window: '1h', by: 'ip' }, operator: 'gt', value: 3 },
    ];
    const tree = (depth: number): Condition => {
      if (depth === 0 || next() < 0.3) return pick(leaves);
      const kind = pick(['all', 'any', 'not'] as const);
      if (kind === 'not') return { not: tree(depth - 1) };
      return { [kind]: Array.from({ length: 1 + Math.floor(next() * 3) }, () => tree(depth - 1)) } as Condition;
    };
    const sourceOf = (): FieldSource => ({
      checks: {
        ...(next() < 0.8 ? { is_new_ip: next() < 0.5 } : {}),
        ...(next() < 0.8 ? { device_count: Math.floor(next() * 6) } : {}),
        ...(next() < 0.3 ? { impossible_travel: false } : {}),
      },
      risks: { ato: pick(['low', 'medium', 'high', 'maximum'] as const), ...(next() < 0.5 ? { bot: pick(['low', 'high'] as const) } : {}) },
      metadata: next() < 0.7 ? { plan: pick(['free', 'pro', 'team']) } : {},
      action: pick(['login', 'signup']),
      lists: next() < 0.5 ? { vip: next() < 0.5 } : {},
      eventCounts: next() < 0.5 ? { 'event_count:*:1h:ip': Math.floor(next() * 6) } : {},
    });
    let matched = 0;
    for (let i = 0; i < 3000; i++) {
      const condition = tree(4);
      const s = sourceOf();
      const traced = evaluateCondition(condition, s).status === 'matched';
      expect(compileCondition(condition)(s), JSON.stringify({ condition, s })).toBe(traced);
      if (traced) matched++;
    }
    // Both outcomes were exercised, many times.
    expect(matched).toBeGreaterThan(300);
    expect(matched).toBeLessThan(2700);
  });
});
