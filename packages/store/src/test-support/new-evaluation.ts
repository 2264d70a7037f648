import { type HistoryKey, type NewEvaluation, newId } from '../index.js';

/** An evaluation to record in a store test: a server-channel production login of `user`, allowed, with nothing else known. */
export function newEvaluation(projectId: string, user: string, over: Partial<NewEvaluation> = {}): NewEvaluation {
  return {
    id: newId('ev'),
    projectId,
    environment: 'production',
    channel: 'server',
    action: 'login',
    user: { externalId: user, email: null, phone: null },
    deviceCookieId: null,
    deviceId: null,
    deviceClass: null,
    fingerprintHash: null,
    fingerprintId: null,
    ip: '203.0.113.7',
    userAgent: null,
    origin: null,
    place: null,
    ipInfo: null,
    metadata: {},
    verdict: 'allow',
    checks: {},
    reasons: [],
    risks: [],
    policy: null,
    challenge: null,
    redirect: null,
    effects: [],
    now: 0,
    ...over,
  };
}

/** What the history of `user`'s next evaluation is read by: a backend's, from `newEvaluation`'s IP, with nothing else known, unless `over` says. */
export function historyKey(projectId: string, user: string, over: Partial<HistoryKey> = {}): HistoryKey {
  return {
    projectId,
    userExternalId: user,
    ip: '203.0.113.7',
    fingerprintHash: null,
    deviceCookieId: null,
    origin: null,
    eventCounts: [],
    now: 0,
    retentionMs: 90 * 86_400_000,
    ...over,
  };
}
