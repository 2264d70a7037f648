import type { Project } from '@vigil/store';
import { type ClientEvaluateBody, fingerprintHashOf } from '../schemas/evaluation.js';
import type { Deps } from './deps.js';
import { evaluate } from './evaluate.js';
import { evaluatedUser } from './pending-identity.js';

/** What the request itself tells besides its body: read by the route from its headers and socket. */
export interface BrowserContext {
  ip: string | null;
  userAgent: string | null;
  origin: string | null;
  deviceCookieId: string | null;
  touchPoints: number | null;
  mobileHint: boolean | null;
}

/** All the browser learns: an id for its backend and, for a challenge or a logged-out device, where to go. */
export type BrowserAnswer = { evaluation_id: string; redirect?: string; logout?: true };

/**
 * An evaluation the page makes with the public client id (`POST /v3/client/evaluate`): what it sends is
 * evidence only, written by whoever holds the browser. A device a device-limit challenge logged out is
 * told so once, and sent to the policy's page.
 */
export async function evaluateFromBrowser(deps: Deps, project: Project, body: ClientEvaluateBody, context: BrowserContext): Promise<BrowserAnswer> {
  const fingerprint = fingerprintHashOf(body.signals?.fingerprint);
  const contact = { email: body.email ?? null, phone: body.phone ?? null };
  const evaluation = await evaluate(deps, {
    project,
    environment: 'production',
    channel: 'client',
    action: body.action,
    user: { id: evaluatedUser(body.action, body.user, contact, context.deviceCookieId ?? fingerprint), ...contact },
    metadata: body.metadata ?? {},
    ip: context.ip,
    userAgent: context.userAgent,
    fingerprint,
    touchPoints: context.touchPoints,
    mobileHint: context.mobileHint,
    ...(body.signals?.attributes ? { signals: body.signals.attributes } : {}),
    origin: context.origin,
    deviceCookieId: context.deviceCookieId,
    nonce: body.nonce,
  });
  const logout = evaluation.deviceId ? await deps.store.users.takeLogout(evaluation.user.id, evaluation.deviceId, deps.now()) : null;
  if (logout) return logout.logoutUrl ? { evaluation_id: evaluation.id, redirect: logout.logoutUrl, logout: true } : { evaluation_id: evaluation.id, logout: true };
  // The browser is the attacker's machine: it gets the id and, for a challenge, where to go. No more.
  return evaluation.redirect ? { evaluation_id: evaluation.id, redirect: evaluation.redirect } : { evaluation_id: evaluation.id };
}
