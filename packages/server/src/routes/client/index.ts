import cors from '@fastify/cors';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Deps } from '../../use-cases/deps.js';
import { clientEvaluateRoute } from './evaluate.js';
import { clientNonceRoute } from './nonce.js';

/**
 * The client API, called from browsers on the customer's pages. CORS is registered in this scope only:
 * the origin is reflected with credentials so the device cookie travels; whether that origin may use
 * the client id is decided per project in the handler (a preflight carries no client id to check).
 */
export function clientRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    await app.register(cors, {
      origin: true,
      credentials: true,
      methods: ['POST'],
      allowedHeaders: ['content-type'],
      maxAge: 600,
      strictPreflight: true,
    });
    await app.register(clientNonceRoute(deps));
    await app.register(clientEvaluateRoute(deps));
  };
}
