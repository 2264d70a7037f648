import { describe, expect, it } from 'vitest';
import { checkRegistry } from '../checks/registry.js';
import type { Checks } from '../types.js';
import { applyRiskOverrides, challengeKindFor, riskTables, riskTablesFor, scoreRisk, scoreRisks, validateRiskOverrides } from './index.js';
import type { RiskTable } from './types.js';

const known = new Set(checkRegistry.map((c) => c.name));
const table = (over: Partial<RiskTable> = {}): RiskTable => ({
  category: 'test',
  observedOnly: false,
  description: '',
  rules: [
    { check: 'a', weight: 20 },
    { check: 'n', weight: 30, when: { operator: 'gte', value: 3 } },
  ],
  combinations: [{ rules: [{ check: 'a' }, { check: 'n', when: { operator: 'gte', value: 3 } }], weight: 10 }],
  thresholds: { medium: 20, high: 50, maximum: 60 },
  ...over,
});
const risk = (checks: Checks, category: string) => scoreRisks(checks, riskTables).find((r) => r.category === category)!;

describe('scoreRisk', () => {
  it('adds the weights of what holds, and combinations only when all hold', () => {
    expect(scoreRisk(table(), { a: true, n: 3 })).toEqual({
      category: 'test',
      score: 60,
      severity: 'maximum',
      contributions: [
        { check: 'a', weight: 20 },
        { check: 'n', weight: 30 },
        { check: 'a+n', weight: 10 },
      ],
    });
    expect(scoreRisk(table(), { a: true, n: 2 })).toMatchObject({ score: 20, contributions: [{ check: 'a', weight: 20 }] });
  });

  it('puts each score in its severity exactly at the thresholds', () => {
    const t = table({ rules: [{ check: 'n', weight: 1, when: { operator: 'gte', value: 0 } }], combinations: [] });
    const at = (medium: number, high: number, maximum: number) => scoreRisk({ ...t, thresholds: { medium, high, maximum } }, { n: 0 }).severity;
    expect([at(2, 3, 4), at(1, 3, 4), at(0, 1, 4), at(0, 0, 1)]).toEqual(['low', 'medium', 'high', 'maximum']);
  });

  it('ignores absent checks and false booleans, and clamps to 0–100', () => {
    expect(scoreRisk(table(), { a: false })).toMatchObject({ score: 0, severity: 'low', contributions: [] });
    expect(
      scoreRisk(
        table({
          rules: [
            { check: 'a', weight: 90 },
            { check: 'b', weight: 90 },
          ],
        }),
        { a: true, b: true },
      ).score,
    ).toBe(100);
    expect(scoreRisk(table({ rules: [{ check: 'a', weight: -50 }] }), { a: true }).score).toBe(0);
  });
});

describe('the built-in risks', () => {
  it('are the ten of SPEC §5, weighing only checks of the registry', () => {
    expect(riskTables.map((t) => t.category)).toEqual([
      'ato',
      'fake_account',
      'account_sharing',
      'scraping',
      'linked_accounts',
      'bot',
      'tampering',
      'anti_fingerprinting',
      'incognito',
      'replay_attack',
    ]);
    expect(riskTables.filter((t) => t.observedOnly).map((t) => t.category)).toEqual(['bot', 'tampering', 'anti_fingerprinting', 'incognito', 'replay_attack']);
    for (const t of riskTables) {
      for (const rule of [...t.rules, ...t.combinations.flatMap((c) => c.rules)]) expect(known.has(rule.check), `${t.category}: ${rule.check}`).toBe(true);
      expect(t.thresholds.medium < t.thresholds.high && t.thresholds.high < t.thresholds.maximum).toBe(true);
    }
  });

  it('keep observation checks out of the acted-on risks, and link accounts never by IP alone', () => {
    const observed = new Set(checkRegistry.filter((c) => c.family.endsWith('_observations')).map((c) => c.name));
    for (const t of riskTables.filter((r) => !r.observedOnly && r.category !== 'scraping')) {
      for (const rule of t.rules) expect(observed.has(rule.check), `${t.category}: ${rule.check}`).toBe(false);
    }
    expect(risk({ ip_user_count: 50 }, 'linked_accounts').score).toBe(0);
    expect(risk({ device_user_count: 2 }, 'linked_accounts').severity).toBe('medium');
  });

  it('ATO: a relay is no anonymizer; a VPN is; a first evaluation is no takeover', () => {
    const known = { is_new_user: false, is_new_ip: true };
    expect(risk({ ...known, ip_is_relay: true }, 'ato').score).toBe(risk(known, 'ato').score);
    expect(risk({ ...known, ip_is_vpn: true }, 'ato').score).toBeGreaterThan(risk(known, 'ato').score);
    expect(risk({ is_new_user: true, is_new_ip: true, is_new_device: true, is_new_fingerprint: true }, 'ato')).toMatchObject({ score: 0, severity: 'low' });
    expect(risk({ is_new_user: false, is_new_ip: true, is_new_device: true, country_change: true, is_new_fingerprint: true }, 'ato').severity).toBe('high');
    expect(risk({ is_new_user: false, impossible_travel: true, is_new_ip: true }, 'ato').severity).toBe('high');
  });

  it('account sharing: concurrent sessions with impossible travel rank far above either', () => {
    const concurrent = risk({ concurrent_sessions: true, concurrent_session_count: 1 }, 'account_sharing');
    const travel = risk({ impossible_travel: true }, 'account_sharing');
    const both = risk({ concurrent_sessions: true, concurrent_session_count: 1, impossible_travel: true }, 'account_sharing');
    expect([concurrent.severity, travel.severity, both.severity]).toEqual(['medium', 'medium', 'maximum']);
  });

  it('replay: a spent nonce alone is high; a missing cookie alone stays low', () => {
    expect(risk({ consumed_nonce: true }, 'replay_attack').severity).toBe('high');
    expect(risk({ missing_cookie: true }, 'replay_attack').severity).toBe('low');
  });

  it('fake accounts: a disposable email is high on its own; webmail barely counts', () => {
    expect(risk({ email_is_disposable: true }, 'fake_account').severity).toBe('high');
    expect(risk({ email_is_webmail: true, is_email_verified: false }, 'fake_account').severity).toBe('low');
  });
});

describe('risk overrides', () => {
  const isKnown = (name: string) => known.has(name);

  it('replace parts of a built-in risk and add custom risks', () => {
    const overrides = {
      ato: { thresholds: { medium: 10 } },
      chargebacks: { rules: [{ check: 'is_new_device', weight: 40 }], thresholds: { medium: 20, high: 40, maximum: 90 } },
    };
    expect(validateRiskOverrides(overrides, isKnown)).toEqual({ ok: true, overrides });
    const tables = riskTablesFor(overrides);
    expect(tables.find((t) => t.category === 'ato')?.thresholds).toEqual({ medium: 10, high: 50, maximum: 80 });
    expect(tables.at(-1)).toMatchObject({ category: 'chargebacks', observedOnly: false });
    expect(scoreRisks({ is_new_device: true }, tables).at(-1)).toMatchObject({ category: 'chargebacks', score: 40, severity: 'high' });
    expect(applyRiskOverrides(riskTables, {})).toEqual([...riskTables]);
  });

  it('refuse what cannot be scored, naming each problem', () => {
    const check = (input: unknown) => {
      const result = validateRiskOverrides(input, isKnown);
      return result.ok ? [] : result.errors.map((e) => e.path);
    };
    expect(check({ ato: { thresholds: { medium: 60 } } })).toEqual(['ato.thresholds']);
    expect(
      check({
        ato: {
          rules: [
            { check: 'nope', weight: 10 },
            { check: 'is_new_ip', weight: 1000 },
          ],
        },
      }),
    ).toEqual(['ato.rules[0].check', 'ato.rules[1].weight']);
    expect(check({ custom: { rules: [{ check: 'is_new_ip', weight: 10 }] } })).toEqual(['custom']);
    expect(check({ 'Bad Name': { rules: [], thresholds: { medium: 1, high: 2, maximum: 3 } } })).toEqual(['Bad Name']);
    expect(check({ ato: { colour: 'red', combinations: [{ rules: [{ check: 'is_new_ip' }], weight: 5 }] } })).toEqual(['ato.colour', 'ato.combinations[0]']);
    expect(check([])).toEqual(['']);
  });

  // Bug: check names and `when` values had no bound, and an unknown check was echoed back whole.
  it('refuse an over-long check name or value without echoing it', () => {
    const result = validateRiskOverrides(
      {
        ato: {
          rules: [
            { check: 'x'.repeat(60_000), weight: 1 },
            { check: 'is_new_ip', weight: 1, when: { operator: 'eq', value: 'v'.repeat(1025) } },
            { check: 'is_new_ip', weight: 1, when: { operator: 'in', value: Array(501).fill(1) } },
          ],
        },
      },
      isKnown,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path)).toEqual(['ato.rules[0].check', 'ato.rules[1].when.value', 'ato.rules[2].when.value']);
    expect(result.errors[0]!.message).toBe('a check name is at most 128 characters');
    expect(JSON.stringify(result.errors).length).toBeLessThan(600);
  });
});

describe('challengeKindFor', () => {
  it('takes the acted-on risk that scored highest', () => {
    const risks = scoreRisks({ concurrent_sessions: true, concurrent_session_count: 2, is_new_user: false, is_new_ip: true }, riskTables);
    expect(challengeKindFor(risks, 'login')).toBe('account_sharing');
    expect(challengeKindFor(scoreRisks({ device_user_count: 3 }, riskTables), 'login')).toBe('multi_accounting');
    expect(challengeKindFor(scoreRisks({ email_is_disposable: true }, riskTables), 'signup')).toBe('fake_account');
  });
  it('falls back on the action when no acted-on risk scored', () => {
    expect(challengeKindFor(scoreRisks({ consumed_nonce: true }, riskTables), 'signup')).toBe('fake_account');
    expect(challengeKindFor([], 'login')).toBe('account_takeover');
  });
});
