import { describe, expect, it } from 'vitest';
import { lookupCheck } from '../checks/registry.js';
import { MAX_FIELD_LENGTH, suggestion, validatePolicy } from './validate.js';

const base = { name: 'Policy', events: ['login'], priority: 10, conditions: { field: 'is_new_ip', operator: 'eq', value: true }, action: { type: 'deny' } };
const validate = (over: Record<string, unknown>, knownLists = ['blocked']) => validatePolicy({ ...base, ...over }, lookupCheck, { knownLists, customRisks: ['chargebacks'] });
const errors = (over: Record<string, unknown>) => {
  const result = validate(over);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.errors;
};

describe('validatePolicy', () => {
  it('accepts a complex policy and returns it in canonical form', () => {
    const policy = {
      name: '  Challenge risky logins ',
      events: ['login', 'login', 'checkout'],
      priority: 0,
      conditions: {
        any: [
          { field: 'impossible_travel', operator: 'eq', value: true },
          { field: 'risk:ato', operator: 'gte', value: 'high' },
          { field: 'risk:chargebacks', operator: 'eq', value: 'maximum' },
          { field: 'event_count', params: { action: '*', window: '10m', by: 'ip' }, operator: 'gt', value: 5 },
          { all: [{ field: 'in_list:blocked', operator: 'eq', value: false }, { not: { field: 'metadata.plan', operator: 'in', value: ['free', 'trial'] } }] },
          { field: 'email_domain', operator: 'contains', value: 'mail' },
          { field: 'impossible_travel', operator: 'not_exists' },
        ],
      },
      action: { type: 'challenge', challenge: { type: 'verification', success_url: 'https://app.example/ok' } },
    };
    const result = validatePolicy(policy, lookupCheck, { knownLists: ['blocked'], customRisks: ['chargebacks'] });
    expect(result).toEqual({
      ok: true,
      policy: {
        name: 'Challenge risky logins',
        events: ['login', 'checkout'],
        priority: 0,
        enabled: true,
        conditions: policy.conditions,
        action: { type: 'challenge', challenge: { type: 'verification', channels: ['email'], success_url: 'https://app.example/ok' } },
      },
    });
  });

  it('names an unknown check by its path and suggests the closest', () => {
    expect(errors({ conditions: { any: [base.conditions, { all: [{ field: 'is_new_ipp', operator: 'eq', value: true }] }] } })).toEqual([
      { path: 'conditions.any[1].all[0]', message: 'unknown check "is_new_ipp" (did you mean "is_new_ip"?)' },
    ]);
  });

  it('refuses an operator that does not fit the field type', () => {
    expect(errors({ conditions: { field: 'is_new_ip', operator: 'gt', value: 1 } })[0]).toEqual({ path: 'conditions', message: 'gt does not apply to is_new_ip, a boolean' });
    expect(errors({ conditions: { field: 'device_count', operator: 'contains', value: '1' } })[0]?.message).toMatch(/contains does not apply/);
    expect(errors({ conditions: { field: 'device_count', operator: 'between', value: 1 } })[0]).toMatchObject({ path: 'conditions.operator' });
  });

  it('refuses a value of the wrong type, a missing array, and a value where none belongs', () => {
    expect(errors({ conditions: { field: 'is_new_ip', operator: 'eq', value: 'yes' } })[0]).toEqual({ path: 'conditions.value', message: 'is_new_ip eq: "yes" is not a boolean' });
    expect(errors({ conditions: { field: 'ip_country', operator: 'in', value: 'NO' } })[0]?.path).toBe('conditions.value');
    expect(errors({ conditions: { field: 'ip_country', operator: 'in', value: ['NO', 3] } })[0]?.path).toBe('conditions.value[1]');
    expect(errors({ conditions: { field: 'ip_country', operator: 'exists', value: true } })[0]?.path).toBe('conditions.value');
  });

  it('refuses unknown risks and severities, unknown lists, and bad event_count params', () => {
    expect(errors({ conditions: { field: 'risk:fraudiness', operator: 'gte', value: 'high' } })[0]?.message).toMatch(/unknown risk "fraudiness"/);
    expect(errors({ conditions: { field: 'risk:ato', operator: 'gte', value: 'huge' } })[0]?.message).toMatch(/"huge" is not a severity/);
    expect(errors({ conditions: { field: 'in_list:blockd', operator: 'eq', value: true } })[0]?.message).toBe('no list named "blockd" (did you mean "blocked"?): create it first');
    const params = errors({ conditions: { field: 'event_count', params: { action: 'Login', window: '0m', by: 'planet', extra: 1 }, operator: 'gt', value: 3 } });
    expect(params.map((e) => e.path)).toEqual(['conditions.params.action', 'conditions.params.window', 'conditions.params.by', 'conditions.params.extra']);
    expect(errors({ conditions: { field: 'is_new_ip', params: { window: '1h' }, operator: 'eq', value: true } })[0]?.message).toBe('is_new_ip takes no params');
  });

  it('refuses empty groups, mixed groups and trees deeper than 20', () => {
    expect(errors({ conditions: { all: [] } })[0]).toEqual({ path: 'conditions.all', message: 'all needs a non-empty list of conditions' });
    expect(errors({ conditions: { all: [base.conditions], any: [base.conditions] } })[0]?.message).toMatch(/exactly one key/);
    let deep: unknown = base.conditions;
    for (let i = 0; i < 22; i++) deep = { not: deep };
    expect(errors({ conditions: deep })[0]?.message).toMatch(/deeper than 20/);
  });

  it('checks the rest of the policy, and reports every problem at once', () => {
    const all = errors({ name: '', events: [], priority: -1, enabled: 'yes', colour: 'red', action: { type: 'explode' } });
    expect(all.map((e) => e.path)).toEqual(['name', 'events', 'priority', 'enabled', 'colour', 'action.type']);
  });

  it('checks each action: challenges, lists', () => {
    expect(errors({ action: { type: 'challenge', challenge: { type: 'device_limit' } } })[0]?.path).toBe('action.challenge.device_limit');
    expect(errors({ action: { type: 'challenge', challenge: { type: 'verification', channels: ['pigeon'] } } })[0]?.path).toBe('action.challenge.channels');
    expect(errors({ action: { type: 'challenge', challenge: { type: 'verification', success_url: 'javascript:alert(1)' } } })[0]?.path).toBe('action.challenge.success_url');
    expect(errors({ action: { type: 'add_to_list', list: 'Bad Name', value: 'user' } })[0]?.path).toBe('action.list');
    expect(errors({ action: { type: 'add_to_list', list: 'blocked', value: 'shoe_size' } })[0]?.path).toBe('action.value');
    expect(validate({ action: { type: 'add_to_list', list: 'new_list', value: 'email' } }).ok).toBe(true);
    expect(validate({ action: { type: 'challenge', challenge: { type: 'device_limit', device_limit: 2, logout_url: 'https://app.example/bye' } } }).ok).toBe(true);
    expect(validate({ action: { type: 'challenge', challenge: { type: 'verification', suppress_days: 7 } } }).ok).toBe(true);
    for (const suppress_days of [-1, 1.5, 366, '30']) {
      expect(errors({ action: { type: 'challenge', challenge: { type: 'verification', suppress_days } } })[0]?.path).toBe('action.challenge.suppress_days');
    }
    expect(errors({ action: { type: 'challenge', challenge: { type: 'device_limit', device_limit: 2, suppress_days: 7 } } })[0]?.path).toBe('action.challenge.suppress_days');
    expect(validate({ action: { type: 'challenge', challenge: { type: 'verification', allow_skip: true } } }).ok).toBe(true);
    expect(errors({ action: { type: 'challenge', challenge: { type: 'verification', allow_skip: 'yes' } } })[0]?.path).toBe('action.challenge.allow_skip');
    expect(errors({ action: { type: 'challenge', challenge: { type: 'device_limit', device_limit: 2, allow_skip: true } } })[0]?.path).toBe('action.challenge.allow_skip');
  });

  it('accepts a policy as the API returned it, so read-modify-write works', () => {
    expect(validate({ id: 'po_1', object: 'policy', version: 3, environment: 'production', createdAt: 'x', updatedAt: 'y' }).ok).toBe(true);
  });

  // Bug: a 60,000-character field ran "did you mean" (Levenshtein, length × length) against every
  // check, holding the event loop for ~0.4 s, and the message echoed the whole field back.
  it('refuses an over-long field name before looking it up, and echoes none of it', () => {
    for (const field of ['x'.repeat(60_000), `in_list:${'b'.repeat(60_000)}`, `risk:${'a'.repeat(60_000)}`, `metadata.${'k'.repeat(200)}`]) {
      const problems = errors({ conditions: { field, operator: 'eq', value: true } });
      expect(problems).toEqual([{ path: 'conditions.field', message: `a field name is at most ${MAX_FIELD_LENGTH} characters` }]);
    }
  });

  it('refuses an over-long value, alone or in a list, and never echoes a value whole', () => {
    expect(errors({ conditions: { field: 'email_domain', operator: 'eq', value: 'x'.repeat(1025) } })).toEqual([
      { path: 'conditions.value', message: 'email_domain eq: a value is at most 1024 characters' },
    ]);
    expect(errors({ conditions: { field: 'ip_country', operator: 'in', value: ['NO', 'y'.repeat(1025)] } })).toEqual([
      { path: 'conditions.value[1]', message: 'ip_country in: a value is at most 1024 characters' },
    ]);
    expect(validate({ conditions: { field: 'email_domain', operator: 'eq', value: 'x'.repeat(1024) } }).ok).toBe(true);
    const [problem] = errors({ conditions: { field: 'is_new_ip', operator: 'eq', value: 'y'.repeat(1000) } });
    expect(problem!.message.length).toBeLessThan(150);
  });
});

describe('suggestion', () => {
  it('suggests the closest candidate within two edits', () => {
    expect(suggestion('is_new_ipp', ['is_new_ip', 'is_new_device'])).toBe(' (did you mean "is_new_ip"?)');
    expect(suggestion('entirely_else', ['is_new_ip'])).toBe('');
  });

  it('computes nothing for a name longer than any field may be', () => {
    const candidate = 'c'.repeat(MAX_FIELD_LENGTH + 1);
    // Would be a distance of 1 if it were computed.
    expect(suggestion(`${candidate}x`, [candidate])).toBe('');
  });
});
