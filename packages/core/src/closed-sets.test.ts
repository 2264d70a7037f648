import { describe, expect, it } from 'vitest';
import { CHALLENGE_STATUSES } from './challenges/status.js';
import { LIST_TYPES, LIST_VALUE_KINDS, OPERATORS, POLICY_ACTION_TYPES, RISK_CATEGORIES, SEVERITIES, VERDICTS } from './closed-sets.js';
import { normalizeListValue } from './list_values.js';
import { operators, operatorsFor } from './policies/operators/index.js';
import { validatePolicy } from './policies/validate.js';
import { lookupCheck } from './checks/registry.js';
import { riskTables } from './risks/index.js';

// Each closed set is stated once; these tests hold the code that implements each member to that list.
describe('closed sets', () => {
  it('every operator has its implementation, and operatorsFor picks by field type', () => {
    expect(Object.keys(operators).sort()).toEqual([...OPERATORS].sort());
    expect(operatorsFor('boolean')).toEqual(['eq', 'neq', 'in', 'not_in', 'exists', 'not_exists']);
    expect(operatorsFor('number')).toContain('gte');
    expect(operatorsFor('boolean')).not.toContain('gt');
  });

  it('every built-in risk has its table, in order, each with severities from the one list', () => {
    expect(riskTables.map((t) => t.category)).toEqual([...RISK_CATEGORIES]);
    expect(SEVERITIES).toEqual(['low', 'medium', 'high', 'maximum']);
  });

  it('every policy action type validates, and is a verdict', () => {
    expect(POLICY_ACTION_TYPES).toBe(VERDICTS);
    const challenge = { type: 'verification', channels: ['email'] };
    const actionOf: Record<string, object> = {
      challenge: { challenge },
      challenge_and_restrict: { challenge },
      add_to_list: { list: 'watch', value: 'ip' },
      remove_from_list: { list: 'watch', value: 'ip' },
    };
    for (const type of POLICY_ACTION_TYPES) {
      const result = validatePolicy(
        { name: type, events: ['login'], priority: 1, enabled: true, conditions: { field: 'is_new_ip', operator: 'eq', value: true }, action: { type, ...actionOf[type] } },
        lookupCheck,
        { knownLists: ['watch'] },
      );
      expect(result, type).toMatchObject({ ok: true });
    }
  });

  it('lists hold every kind of evaluation value, and ranges', () => {
    expect(LIST_TYPES).toEqual(expect.arrayContaining([...LIST_VALUE_KINDS, 'cidr']));
    expect(LIST_TYPES).toHaveLength(LIST_VALUE_KINDS.length + 1);
    expect(CHALLENGE_STATUSES).toContain('completed');
  });
});

describe('normalizeListValue', () => {
  it.each([
    ['phone', ' +47 912 34 567 ', '+4791234567'],
    ['phone', '(+47) 912-34.567', '+4791234567'],
    ['email', ' Alice@Example.COM ', 'alice@example.com'],
    ['email_domain', '@Example.COM', 'example.com'],
    ['country', 'no', 'NO'],
    ['ip', '::ffff:203.0.113.7', '203.0.113.7'],
    ['ip', '2001:0db8:0000::1', '2001:db8::1'],
    ['cidr', '203.0.113.7/24', '203.0.113.0/24'],
    ['cidr', '2001:db8::1/032', '2001:db8::/32'],
    ['user', ' alice ', 'alice'],
    ['fingerprint', 'fp_1abc', 'fp_1abc'],
  ] as const)('%s %j is %j', (type, raw, value) => {
    expect(normalizeListValue(type, raw)).toBe(value);
  });

  it.each([
    ['phone', 'call me'],
    ['email', 'alice'],
    ['ip', '1'],
    ['ip', '0x7f.1'],
    ['cidr', '203.0.113.7/33'],
    ['cidr', '203.0.113.7'],
    ['country', 'NOR'],
    ['device', 'fp_1'],
    ['user', ''],
  ] as const)('refuses %s %j', (type, raw) => {
    expect(normalizeListValue(type, raw)).toBeNull();
  });
});
