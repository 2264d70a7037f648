// The decision core alone (ARCHITECTURE.md budget: ≥ 100,000 evaluations/s on one core with 50
// policies and the full check set). In-process, no I/O: checks, risks and 50 policies over a rich
// history. Baseline: the same decision with no policy, so the ratio is what policies cost.
import { decide, type DecisionRequest, emptyHistory, type Policy } from '@vigil/core';
import type { BenchRow, BenchStage } from './run.js';

const now = Date.UTC(2026, 10, 25, 12, 0, 0);
const MIN = 60_000;
const DAY = 86_400_000;
const oslo = { latitude: 59.91, longitude: 10.75, accuracyKm: 20, precision: 'city' as const };

const base: DecisionRequest = {
  evaluation: {
    action: 'login',
    channel: 'client',
    user: { id: 'alice', email: 'alice@example.com', phone: '+4712345678' },
    metadata: { plan: 'pro', amount: 120 },
    ip: '203.0.113.7',
    fingerprint: 'f'.repeat(32),
    fingerprintId: 'fp_1',
    deviceId: 'dv_1',
    origin: 'https://shop.example',
    hasDeviceCookie: true,
    nonce: 'valid',
  },
  facts: {
    ip: { type: 'residential', types: ['residential'], asn: 2119, country: 'NO', location: oslo, listAgeDays: 2 },
    email: { valid: true, domain: 'example.com', disposable: false, webmail: false, hasMailExchanger: null, acceptAll: null },
    phone: { valid: true, country: 'NO', type: 'mobile' },
    userAgent: { deviceClass: 'computer', browser: 'Chrome', os: 'Linux', isBot: false },
  },
  history: {
    ...emptyHistory,
    user: { firstSeenAt: now - 300 * DAY, emailVerified: true, phoneVerified: false, suspended: false },
    ipLastSeenAt: now - DAY,
    fingerprintLastSeenAt: now - DAY,
    deviceLastSeenAt: now - DAY,
    locatedBefore: { at: now - 3 * 3_600_000, location: oslo, country: 'NO', relay: false, deviceId: 'dv_2' },
    devices: Array.from({ length: 4 }, (_, i) => ({
      deviceId: `dv_${i + 2}`,
      deviceClass: i % 2 ? 'mobile' : 'computer',
      firstSeenAt: now - 50 * DAY,
      lastSeenAt: now - (i + 1) * DAY,
      lastLocation: oslo,
    })),
    deviceRecentActivity: [now - 30 * MIN, now - 2 * 3_600_000],
    deviceConflicts: [['dv_2', 'dv_3']],
    fingerprintUserCount: 1,
    deviceUserCount: 1,
    ipUserCount: 3,
    originLastSeenAt: now - DAY,
    failedChallengesLastDay: 0,
    eventCounts: { 'event_count:login:10m:ip': 2, 'event_count:*:1h:user': 4 },
    lists: [
      { name: 'blocked', type: 'ip', matched: false },
      { name: 'vip', type: 'user', matched: false },
    ],
  },
  policies: [],
  now,
};

/** 50 policies of the kinds operators write; none holds, so every one is evaluated (the worst case). */
function policies(): Policy[] {
  const leaves = [
    { field: 'impossible_travel', operator: 'eq', value: true },
    { field: 'is_new_device', operator: 'eq', value: true },
    { field: 'device_count', operator: 'gt', value: 8 },
    { field: 'risk:ato', operator: 'gte', value: 'maximum' },
    { field: 'metadata.plan', operator: 'in', value: ['free', 'trial'] },
    { field: 'in_list:blocked', operator: 'eq', value: true },
    { field: 'event_count', params: { action: 'login', window: '10m', by: 'ip' }, operator: 'gt', value: 20 },
    { field: 'email_domain', operator: 'contains', value: 'mailinator' },
    { field: 'ip_country', operator: 'not_in', value: ['NO', 'SE', 'DK'] },
    { field: 'travel_speed_kmh', operator: 'gt', value: 5000 },
  ] as const;
  return Array.from({ length: 50 }, (_, i) => ({
    id: `po_${i}`,
    name: `policy ${i}`,
    events: ['login', 'signup'],
    priority: i,
    enabled: true,
    version: 1,
    conditions: { any: [leaves[i % 10]!, { all: [leaves[(i + 3) % 10]!, { not: leaves[(i + 1) % 10]! }] }] } as Policy['conditions'],
    action: { type: 'deny' },
  }));
}

function measure(request: DecisionRequest, iterations: number): number {
  for (let i = 0; i < 2000; i++) decide(request); // warm-up: let the JIT settle
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) decide(request);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return iterations / seconds;
}

const stage: BenchStage = {
  stage: 'core',
  async run(): Promise<BenchRow[]> {
    const withPolicies = { ...base, policies: policies() };
    const matched = decide(withPolicies);
    if (matched.verdict !== 'allow') throw new Error('the bench policies are meant not to match');
    return [
      { name: 'decide, no policy (baseline)', opsPerSec: measure(base, 200_000), baseline: true },
      { name: 'decide, 50 policies, full check set', opsPerSec: measure(withPolicies, 200_000), note: 'budget ≥ 100,000/s' },
    ];
  },
};
export default stage;
