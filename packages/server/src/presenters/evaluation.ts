import type { EvaluationRecord } from '@vigil/store';
import { isPendingIdentity } from '../use-cases/pending-identity.js';
import type { Evaluation } from '../schemas/evaluation.js';
import { iso } from './time.js';

/** The evaluation object of the server API (SPEC §2): only for holders of the secret key. */
export function presentEvaluation(e: EvaluationRecord): Evaluation {
  return {
    id: e.id,
    object: 'evaluation',
    project: e.projectId,
    environment: e.environment,
    action: e.action,
    verdict: e.verdict,
    user: { vigil_id: e.user.id, rupt_id: e.user.id, id: isPendingIdentity(e.user.externalId) ? null : e.user.externalId, email: e.user.email, phone: e.user.phone },
    person: null,
    device: e.deviceId,
    fingerprint: e.fingerprintId,
    ip: e.ip,
    ip_info: e.ipInfo,
    user_agent: e.userAgent,
    origin: e.origin,
    metadata: e.metadata,
    policy: presentPolicy(e.policy),
    challenge: e.challenge as Evaluation['challenge'],
    redirect: e.redirect,
    // Every category at every severity, low included, as Rupt's risk_summary lists them.
    risk_summary: e.risks.map(({ category, severity }) => ({ category, severity })),
    risks: e.risks,
    checks: e.checks,
    reasons: e.reasons,
    consumed: e.consumedAt !== null,
    consumed_at: e.consumedAt === null ? null : iso(e.consumedAt),
    createdAt: iso(e.createdAt),
    updatedAt: iso(e.updatedAt),
  };
}

/** The deciding policy as the explanation keeps it, with its times as the API writes them. */
function presentPolicy(policy: EvaluationRecord['policy']): Evaluation['policy'] {
  if (!policy) return null;
  const { suppressed_by: suppressedBy, ...rest } = policy as { suppressed_by?: { challenge: string; passed_at: number } };
  return (suppressedBy ? { ...rest, suppressed_by: { challenge: suppressedBy.challenge, passed_at: iso(suppressedBy.passed_at) } } : rest) as Evaluation['policy'];
}
