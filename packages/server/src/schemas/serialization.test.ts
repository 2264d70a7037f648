import fastJson from 'fast-json-stringify';
import { describe, expect, it } from 'vitest';
import { Evaluation } from './evaluation.js';
import { serializedAs } from './serialization.js';

const schemaWise = fastJson(Evaluation as Parameters<typeof fastJson>[0]);
const fast = fastJson(serializedAs(Evaluation) as Parameters<typeof fastJson>[0]);

const risks = [
  { category: 'ato', score: 55, severity: 'high', contributions: [{ check: 'is_new_ip', weight: 20 }] },
  { category: 'bot', score: 0, severity: 'low', contributions: [] },
];

function evaluation(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'ev_1',
    object: 'evaluation',
    project: 'pr_1',
    environment: 'production',
    action: 'login',
    verdict: 'allow',
    user: { vigil_id: 'us_1', rupt_id: 'us_1', id: 'user-1', email: 'a@example.com', phone: null },
    person: null,
    device: 'dv_1',
    fingerprint: null,
    ip: '84.208.1.1',
    ip_info: { address: '84.208.1.1', types: ['isp'], asn: 2119, latitude: 59.9, overruled: [] },
    user_agent: 'Mozilla/5.0 "quoted" \u2028 and \\ backslash',
    origin: null,
    metadata: { plan: 'pro', seats: 3, trial: false, note: null, 'ünïcode "key"': 'välue\n' },
    policy: null,
    challenge: null,
    redirect: null,
    risk_summary: risks.map(({ category, severity }) => ({ category, severity })),
    risks,
    checks: { is_new_ip: true, ip_user_count: 3, travel_speed_kmh: 912.5, ip_country: 'NO', email_domain: 'ex"ample.com\u2028', ip_asn: 2119 },
    reasons: ['new_ip'],
    consumed: false,
    consumed_at: null,
    createdAt: '2026-12-06T10:00:00.000Z',
    updatedAt: '2026-12-06T10:00:00.000Z',
    ...overrides,
  };
}

describe('serializedAs', () => {
  it('writes an evaluation exactly as its schema does: allowed, denied by a policy with its trace, challenged, suppressed', () => {
    const trace = { node: 'all', status: 'matched', children: [{ node: 'checks.is_new_ip', status: 'matched', operator: 'eq', expected: true, actual: true }] };
    const policy = { id: 'po_1', name: 'New IP', version: 3, action: { type: 'deny' }, trace };
    const cases = [
      evaluation(),
      evaluation({ verdict: 'deny', policy, checks: {}, metadata: {} }),
      evaluation({
        verdict: 'challenge',
        policy: { ...policy, action: { type: 'challenge', challenge: { type: 'verification', channels: ['email', 'sms'], suppress_days: 30 } } },
        challenge: { id: 'ch_1', type: 'account_takeover', method: 'verification', status: 'created', channels: ['email'], reasons: ['new_ip'] },
        redirect: 'https://vigil.example/c?t=x',
      }),
      evaluation({ policy: { ...policy, suppressed_by: { challenge: 'ch_0', passed_at: '2026-12-05T10:00:00.000Z' } }, consumed: true, consumed_at: '2026-12-06T10:00:01.000Z' }),
    ];
    for (const e of cases) expect(fast(e)).toBe(schemaWise(e));
  });

  it('still drops what an object schema does not name, at the top and inside', () => {
    const e = evaluation({
      secret: 'internal',
      policy: { id: 'po_1', name: 'P', version: 1, action: { type: 'allow' }, trace: { node: 'all', status: 'matched' }, internal: 'x' },
    });
    const text = fast(e);
    expect(text).toBe(schemaWise(e));
    expect(text).not.toContain('internal');
  });

  it('turns only records of primitives into plain JSON', () => {
    const shaped = serializedAs(Evaluation) as { properties: Record<string, unknown> };
    expect(shaped.properties.checks).toEqual({});
    expect(shaped.properties.metadata).toEqual({});
    expect(shaped.properties.risks).toEqual(JSON.parse(JSON.stringify(Evaluation.properties.risks)));
    expect(shaped.properties.ip_info).toEqual(JSON.parse(JSON.stringify(Evaluation.properties.ip_info)));
  });
});
