import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { addressKey } from '../../rate-limits/index.js';
import { clientIp } from '../../request-ip.js';
import type { Deps } from '../../use-cases/deps.js';
import { clientCors } from './cors.js';
import { clientEvaluateRoute } from './evaluate.js';
import { clientNonceRoute } from './nonce.js';

/** The client API, called from browsers on the customer's pages with a public client id. */
export function clientRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    clientCors(app, ['/v3/client/nonce', '/v3/client/evaluate']);
    // Rate limits (SPEC §11). Added after the CORS hook, so a 429 still carries the CORS headers and the
    // SDK can read it (a browser hides an answer without them). Per address before the body is read;
    // per client id once it is, before the handler looks anything up or writes.
    app.addHook('onRequest', async (request) => {
      // A preflight does no work and carries no client id; counting it would halve a page's allowance.
      if (request.method === 'OPTIONS') return;
      await deps.rateLimiter.take('client_ip', addressKey(clientIp(request) ?? request.ip));
    });
    app.addHook('preHandler', async (request) => {
      // Validated by now: a string of at most 64 characters (a body that failed validation did no work).
      const clientId = (request.body as { client_id?: unknown } | undefined)?.client_id;
      if (typeof clientId === 'string') await deps.rateLimiter.take('client_id', clientId);
    });
    await app.register(clientNonceRoute(deps));
    await app.register(clientEvaluateRoute(deps));
  };
}
