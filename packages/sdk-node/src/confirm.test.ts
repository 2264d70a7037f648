import { describe, expect, it } from 'vitest';
import { confirmEvaluation, type Evaluation } from './index.js';

const evaluation = (over: Partial<Evaluation> = {}): Evaluation => ({
  id: 'ev_1',
  object: 'evaluation',
  project: 'pr_1',
  environment: 'production',
  action: 'checkout',
  verdict: 'allow',
  user: { vigil_id: 'us_1', rupt_id: 'us_1', id: 'alice', email: null, phone: null },
  person: null,
  device: null,
  fingerprint: null,
  ip: null,
  ip_info: null,
  user_agent: null,
  origin: null,
  metadata: { order: 'o-1', amount: 30 },
  policy: null,
  challenge: null,
  redirect: null,
  risk_summary: [],
  risks: [],
  checks: {},
  reasons: [],
  consumed: true,
  consumed_at: null,
  createdAt: '2026-11-25T00:00:00.000Z',
  updatedAt: '2026-11-25T00:00:00.000Z',
  ...over,
});
const expected = { action: 'checkout', user: 'alice', metadata: { order: 'o-1', amount: 30 } };
const challenge = (status: NonNullable<Evaluation['challenge']>['status']): Evaluation['challenge'] => ({
  id: 'ch_1',
  type: 'account_takeover',
  method: 'verification',
  status,
  channels: ['email'],
  reasons: [],
});

describe('confirmEvaluation', () => {
  it('accepts an allow for this action, user and metadata', () => {
    expect(confirmEvaluation(evaluation(), expected)).toEqual({ ok: true });
    expect(confirmEvaluation(evaluation(), { action: 'checkout', user: 'alice' })).toEqual({ ok: true });
  });

  it('refuses an evaluation made for another action, user or metadata', () => {
    expect(confirmEvaluation(evaluation(), { ...expected, action: 'login' })).toMatchObject({ ok: false, reason: expect.stringContaining('action') });
    expect(confirmEvaluation(evaluation(), { ...expected, user: 'bob' })).toMatchObject({ ok: false, reason: expect.stringContaining('user') });
    expect(confirmEvaluation(evaluation(), { ...expected, metadata: { order: 'o-2' } })).toEqual({ ok: false, reason: 'metadata.order differs' });
    expect(confirmEvaluation(evaluation(), { ...expected, metadata: { amount: '30' } })).toEqual({ ok: false, reason: 'metadata.amount differs' });
  });

  it('follows the verdict: a challenge passes only once completed', () => {
    for (const verdict of ['deny', 'suspend', 'add_to_list'] as const) {
      expect(confirmEvaluation(evaluation({ verdict }), expected)).toEqual({ ok: false, reason: `verdict is ${verdict}` });
    }
    expect(confirmEvaluation(evaluation({ verdict: 'challenge', challenge: null }), expected)).toEqual({ ok: false, reason: 'challenge not completed' });
    expect(confirmEvaluation(evaluation({ verdict: 'challenge', challenge: challenge('code_sent') }), expected).ok).toBe(false);
    expect(confirmEvaluation(evaluation({ verdict: 'challenge', challenge: challenge('completed') }), expected)).toEqual({ ok: true });
  });

  it('lets a skipped challenge through only when the backend says it accepts skips', () => {
    const skipped = evaluation({ verdict: 'challenge', challenge: challenge('skipped') });
    expect(confirmEvaluation(skipped, expected)).toEqual({ ok: false, reason: 'challenge skipped' });
    expect(confirmEvaluation(skipped, { ...expected, acceptSkipped: true })).toEqual({ ok: true });
    expect(confirmEvaluation(evaluation({ verdict: 'challenge', challenge: challenge('overridden') }), { ...expected, acceptSkipped: true }).ok).toBe(false);
  });

  it('honours restrict and challenge_and_restrict as restricted: the latter only once the challenge is completed', () => {
    expect(confirmEvaluation(evaluation({ verdict: 'restrict' }), expected)).toEqual({ ok: true, restricted: true });
    const both = (status: NonNullable<Evaluation['challenge']>['status']) => evaluation({ verdict: 'challenge_and_restrict', challenge: challenge(status) });
    expect(confirmEvaluation(both('code_sent'), expected)).toEqual({ ok: false, reason: 'challenge not completed' });
    expect(confirmEvaluation(both('completed'), expected)).toEqual({ ok: true, restricted: true });
  });
});
