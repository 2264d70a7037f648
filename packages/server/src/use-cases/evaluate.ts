import { decide } from '@vigil/core';
import type { Environment, EvaluationRecord, Metadata, Project } from '@vigil/store';
import type { Deps } from './deps.js';

export interface EvaluateRequest {
  project: Project;
  environment: Environment;
  channel: 'client' | 'server';
  action: string;
  user: { id: string; email: string | null; phone: string | null };
  metadata: Metadata;
  ip: string | null;
  userAgent: string | null;
  fingerprint: string | null;
  origin: string | null;
  /** The browser's first-party device cookie (client channel), or null. */
  deviceCookieId: string | null;
  /** The nonce the browser presented (client channel); undefined when it sent none. */
  nonce?: string | undefined;
}

/**
 * The one use case every evaluation goes through (ARCHITECTURE.md): nonce, history, decide, then the
 * evaluation and what it saw recorded in one transaction.
 */
export async function evaluate(deps: Deps, req: EvaluateRequest): Promise<EvaluationRecord> {
  const now = deps.now();
  const { store } = deps;

  const nonce =
    req.channel !== 'client'
      ? undefined
      : req.nonce === undefined || req.nonce === ''
        ? ('missing' as const)
        : await store.nonces.redeem({ projectId: req.project.id, nonce: req.nonce, deviceCookieId: req.deviceCookieId, now });

  const history = await store.history.load({
    projectId: req.project.id,
    userExternalId: req.user.id,
    ip: req.ip,
    fingerprintHash: req.fingerprint,
    deviceCookieId: req.deviceCookieId,
  });

  const decision = decide(
    {
      action: req.action,
      channel: req.channel,
      user: req.user,
      metadata: req.metadata,
      ip: req.ip,
      userAgent: req.userAgent,
      fingerprint: req.fingerprint,
      hasDeviceCookie: req.deviceCookieId !== null,
      ...(nonce === undefined ? {} : { nonce }),
    },
    history,
    now,
    { retentionMs: deps.config.retentionMs },
  );

  return store.evaluations.record({
    projectId: req.project.id,
    environment: req.environment,
    channel: req.channel,
    action: req.action,
    user: { externalId: req.user.id, email: req.user.email, phone: req.user.phone },
    deviceCookieId: req.deviceCookieId,
    fingerprintHash: req.fingerprint,
    ip: req.ip,
    userAgent: req.userAgent,
    origin: req.origin,
    metadata: req.metadata,
    verdict: decision.verdict,
    checks: decision.explanation.checks,
    reasons: decision.explanation.reasons,
    risks: decision.explanation.risks,
    now,
  });
}
