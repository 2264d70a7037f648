import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authenticateSecretKey, type ServerAuth } from '../../auth/secret-key.js';
import type { Deps } from '../../use-cases/deps.js';
import { consumeEvaluationRoute } from './consume-evaluation.js';
import { createEvaluationRoute } from './create-evaluation.js';
import { checksRoute } from './checks.js';
import { challengeActionRoutes } from './challenge-actions.js';
import { getChallengeRoute } from './get-challenge.js';
import { getEvaluationRoute } from './get-evaluation.js';
import { listRoutes } from './lists/index.js';
import { policyRoutes } from './policies/index.js';
import { referenceDataRoute } from './reference-data.js';
import { riskRoutes } from './risks.js';
import { userRoutes } from './users/index.js';
import { mailSettingsRoutes } from './mail-settings.js';
import { retentionSettingsRoutes } from './retention-settings.js';
import { v2Routes } from './v2.js';
import { webhookRoutes } from './webhook.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The project the request's secret key opened (server API routes only). */
    serverAuth: ServerAuth;
  }
}

/** The server API: the customer's backend, authenticated by its secret key. No CORS: never from a browser. */
export function apiRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.decorateRequest('serverAuth', null as unknown as ServerAuth);
    app.addHook('preHandler', async (request) => {
      request.serverAuth = await authenticateSecretKey(deps, request);
    });
    await app.register(getEvaluationRoute(deps));
    await app.register(consumeEvaluationRoute(deps));
    await app.register(createEvaluationRoute(deps));
    await app.register(checksRoute(deps));
    await app.register(policyRoutes(deps));
    await app.register(listRoutes(deps));
    await app.register(riskRoutes(deps));
    await app.register(getChallengeRoute(deps));
    await app.register(challengeActionRoutes(deps));
    await app.register(webhookRoutes(deps));
    await app.register(userRoutes(deps));
    await app.register(referenceDataRoute(deps));
    await app.register(v2Routes(deps));
    await app.register(mailSettingsRoutes(deps));
    await app.register(retentionSettingsRoutes(deps));
  };
}

export const secured = [{ secretKey: [] }];
