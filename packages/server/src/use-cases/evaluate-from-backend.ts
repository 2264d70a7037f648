import { parseIp } from '@vigil/intel';
import type { EvaluationRecord } from '@vigil/store';
import type { ServerAuth } from '../auth/secret-key.js';
import { AppError } from '../errors/codes.js';
import { type CreateEvaluationBody, fingerprintHashOf } from '../schemas/evaluation.js';
import type { Deps } from './deps.js';
import { evaluate } from './evaluate.js';
import { evaluatedUser } from './pending-identity.js';

/**
 * An evaluation the customer's backend makes itself (`POST /v3/evaluations`, and the v2 flow's
 * `POST /v2/devices/evaluate`): no device cookie and no nonce, only what the backend tells.
 */
export async function evaluateFromBackend(deps: Deps, auth: ServerAuth, body: CreateEvaluationBody): Promise<EvaluationRecord> {
  let ip: string | null = null;
  if (body.ip !== undefined) {
    ip = parseIp(body.ip)?.address ?? null;
    if (ip === null) throw new AppError('INVALID_IP', `body.ip ${JSON.stringify(body.ip)} is not an IPv4 or IPv6 address`);
  }
  return evaluate(deps, {
    project: auth.project,
    environment: auth.environment,
    channel: 'server',
    action: body.action,
    user: { id: evaluatedUser(body.action, body.user, { email: body.email ?? null, phone: body.phone ?? null }), email: body.email ?? null, phone: body.phone ?? null },
    metadata: body.metadata ?? {},
    ip,
    userAgent: body.user_agent ?? null,
    fingerprint: fingerprintHashOf(body.fingerprint),
    origin: null,
    deviceCookieId: null,
  });
}
