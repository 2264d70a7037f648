import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authenticateClient } from '../../auth/client.js';
import { readDeviceCookie } from '../../auth/device-cookie.js';
import { clientIp } from '../../request-ip.js';
import { ClientEvaluateBody, ClientEvaluateReply, ErrorReply, fingerprintHashOf } from '../../schemas/evaluation.js';
import { evaluate } from '../../use-cases/evaluate.js';
import { evaluatedUser } from '../../use-cases/pending-identity.js';
import type { Deps } from '../../use-cases/deps.js';

/** The SDK's hardware signal `{ value: { touch_points } }`, if it sent one that makes sense. */
function touchPointsOf(signals: unknown): number | null {
  const value = (signals as { attributes?: { hardware?: { value?: { touch_points?: unknown } } } } | undefined)?.attributes?.hardware?.value?.touch_points;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 256 ? value : null;
}

/** `Sec-CH-UA-Mobile: ?1` / `?0`, the client hint Chromium browsers send: null when absent or malformed. */
function mobileHint(header: string | string[] | undefined): boolean | null {
  return header === '?1' ? true : header === '?0' ? false : null;
}

export function clientEvaluateRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v3/client/evaluate',
      {
        schema: {
          tags: ['client'],
          operationId: 'clientEvaluate',
          summary: 'Evaluate an action from the browser; answers an evaluation id and, for a challenge, a redirect',
          body: ClientEvaluateBody,
          response: { 200: ClientEvaluateReply, '4xx': ErrorReply },
        },
      },
      async (request) => {
        const body = request.body;
        const project = await authenticateClient(deps, body.client_id, request.headers.origin);
        const deviceCookieId = readDeviceCookie(request);
        const fingerprint = fingerprintHashOf(body.signals?.fingerprint);
        const evaluation = await evaluate(deps, {
          project,
          environment: 'production',
          channel: 'client',
          action: body.action,
          user: { id: evaluatedUser(body.action, body.user, { email: body.email ?? null, phone: body.phone ?? null }, deviceCookieId ?? fingerprint), email: body.email ?? null, phone: body.phone ?? null },
          metadata: body.metadata ?? {},
          ip: clientIp(request),
          userAgent: request.headers['user-agent']?.slice(0, 2048) ?? null,
          fingerprint,
          touchPoints: touchPointsOf(body.signals),
          mobileHint: mobileHint(request.headers['sec-ch-ua-mobile']),
          ...(body.signals?.attributes ? { signals: body.signals.attributes } : {}),
          origin: request.headers.origin ?? null,
          deviceCookieId,
          nonce: body.nonce,
        });
        // A device logged out by a device-limit challenge is told so once, and sent to the policy's page.
        const logout = evaluation.deviceId ? await deps.store.users.takeLogout(evaluation.user.id, evaluation.deviceId, deps.now()) : null;
        if (logout) return logout.logoutUrl ? { evaluation_id: evaluation.id, redirect: logout.logoutUrl, logout: true as const } : { evaluation_id: evaluation.id, logout: true as const };
        // The browser is the attacker's machine: it gets the id and, for a challenge, where to go. No more.
        return evaluation.redirect ? { evaluation_id: evaluation.id, redirect: evaluation.redirect } : { evaluation_id: evaluation.id };
      },
    );
  };
}
