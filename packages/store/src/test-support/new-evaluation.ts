import { type NewEvaluation, newId } from '../index.js';

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
