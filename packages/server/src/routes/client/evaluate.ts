import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authenticateClient } from '../../auth/client.js';
import { readDeviceCookie } from '../../auth/device-cookie.js';
import { clientIp } from '../../request-ip.js';
import { ClientEvaluateBody, ClientEvaluateReply, ErrorReply } from '../../schemas/evaluation.js';
import { evaluateFromBrowser } from '../../use-cases/evaluate-from-browser.js';
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
        const project = await authenticateClient(deps, request.body.client_id, request.headers.origin);
        return evaluateFromBrowser(deps, project, request.body, {
          ip: clientIp(request),
          userAgent: request.headers['user-agent']?.slice(0, 2048) ?? null,
          origin: request.headers.origin ?? null,
          deviceCookieId: readDeviceCookie(request),
          touchPoints: touchPointsOf(request.body.signals),
          mobileHint: mobileHint(request.headers['sec-ch-ua-mobile']),
        });
      },
    );
  };
}
