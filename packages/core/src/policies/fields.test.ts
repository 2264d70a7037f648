import { describe, expect, it } from 'vitest';
import type { Policy } from '../types.js';
import { eventCountKey, eventCountParamsOf, parseWindow, resolveField, severityRank } from './fields.js';

describe('parseWindow', () => {
  it('reads seconds, minutes, hours and days', () => {
    expect([parseWindow('30s'), parseWindow('10m'), parseWindow('1h'), parseWindow('7d')]).toEqual([30_000, 600_000, 3_600_000, 604_800_000]);
    expect(parseWindow('90d')).toBe(90 * 86_400_000);
  });
  it('refuses anything else', () => {
    for (const bad of ['0m', '91d', '10', 'm', '1.5h', '-1h', '10M', ' 10m', 10, null]) expect(parseWindow(bad), String(bad)).toBeNull();
  });
});

describe('fields', () => {
  const source = {
    checks: { is_new_ip: true, device_count: 3 },
    risks: { ato: 'high' as const },
    metadata: { plan: 'pro', note: null },
    action: 'login',
    lists: { vip: false },
    eventCounts: { 'event_count:*:1h:user': 4 },
  };
  it('resolves every kind of field, and absence as undefined', () => {
    expect(resolveField({ field: 'is_new_ip', operator: 'eq' }, source)).toBe(true);
    expect(resolveField({ field: 'risk:ato', operator: 'eq' }, source)).toBe('high');
    expect(resolveField({ field: 'risk:bot', operator: 'eq' }, source)).toBeUndefined();
    expect(resolveField({ field: 'metadata.plan', operator: 'eq' }, source)).toBe('pro');
    // A null metadata value is no value.
    expect(resolveField({ field: 'metadata.note', operator: 'eq' }, source)).toBeUndefined();
    expect(resolveField({ field: 'action', operator: 'eq' }, source)).toBe('login');
    expect(resolveField({ field: 'in_list:vip', operator: 'eq' }, source)).toBe(false);
    expect(resolveField({ field: 'in_list:other', operator: 'eq' }, source)).toBeUndefined();
    expect(resolveField({ field: 'event_count', operator: 'gt', params: { action: '*', window: '1h', by: 'user' } }, source)).toBe(4);
    expect(resolveField({ field: 'event_count', operator: 'gt', params: { action: '*', window: '2h', by: 'user' } }, source)).toBeUndefined();
  });
  it('ranks severities in order', () => {
    expect(['low', 'medium', 'high', 'maximum', 'huge'].map(severityRank)).toEqual([0, 1, 2, 3, undefined]);
  });
});

describe('eventCountParamsOf', () => {
  it('collects the distinct event_count params of enabled policies only, at any depth', () => {
    const params = { action: 'login', window: '10m', by: 'ip' } as const;
    const policy = (id: string, enabled: boolean, window: string): Policy => ({
      id,
      name: id,
      events: ['login'],
      priority: 1,
      enabled,
      version: 1,
      action: { type: 'deny' },
      conditions: {
        any: [{ field: 'is_new_ip', operator: 'eq', value: true }, { not: { all: [{ field: 'event_count', params: { ...params, window }, operator: 'gt', value: 3 }] } }],
      },
    });
    const found = eventCountParamsOf([policy('a', true, '10m'), policy('b', true, '10m'), policy('c', false, '1h'), policy('d', true, '1d')]);
    expect(found.map(eventCountKey)).toEqual(['event_count:login:10m:ip', 'event_count:login:1d:ip']);
  });
});
