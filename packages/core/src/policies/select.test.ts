import { describe, expect, it } from 'vitest';
import type { Policy } from '../types.js';
import type { FieldSource } from './fields.js';
import { selectPolicy } from './select.js';

const source: FieldSource = { checks: { is_new_ip: true }, risks: {}, metadata: {}, action: 'login', lists: {}, eventCounts: {} };
const holds = { field: 'is_new_ip', operator: 'eq', value: true } as const;
const fails = { field: 'is_new_ip', operator: 'eq', value: false } as const;
const policy = (id: string, over: Partial<Policy> = {}): Policy => ({
  id,
  name: id,
  events: ['login'],
  priority: 10,
  enabled: true,
  version: 1,
  conditions: holds,
  action: { type: 'deny' },
  ...over,
});

describe('selectPolicy', () => {
  it('takes the first that holds by priority, lower first', () => {
    const chosen = selectPolicy([policy('late', { priority: 20 }), policy('miss', { priority: 1, conditions: fails }), policy('early', { priority: 5 })], 'login', source);
    expect(chosen?.policy.id).toBe('early');
    expect(chosen?.trace.status).toBe('matched');
  });

  it('breaks priority ties by id, whatever the order given', () => {
    expect(selectPolicy([policy('po_b'), policy('po_a')], 'login', source)?.policy.id).toBe('po_a');
    expect(selectPolicy([policy('po_a'), policy('po_b')], 'login', source)?.policy.id).toBe('po_a');
  });

  it('skips disabled policies and those for other actions; * applies to all', () => {
    expect(selectPolicy([policy('off', { enabled: false }), policy('signup', { events: ['signup'] })], 'login', source)).toBeNull();
    expect(selectPolicy([policy('any', { events: ['*'] })], 'checkout', source)?.policy.id).toBe('any');
  });

  it('answers null when nothing holds', () => {
    expect(selectPolicy([policy('miss', { conditions: fails })], 'login', source)).toBeNull();
    expect(selectPolicy([], 'login', source)).toBeNull();
  });
});
