import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Deps } from '../../use-cases/deps.js';
import { clientCors } from './cors.js';
import { clientEvaluateRoute } from './evaluate.js';
import { clientNonceRoute } from './nonce.js';

/** The client API, called from browsers on the customer's pages with a public client id. */
export function clientRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    clientCors(app, ['/v3/client/nonce', '/v3/client/evaluate']);
    await app.register(clientNonceRoute(deps));
    await app.register(clientEvaluateRoute(deps));
  };
}
