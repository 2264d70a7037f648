import { hash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Environment } from '@vigil/store';
import { authenticateSecretKey, type ServerAuth } from '../../auth/secret-key.js';
import { AppError, type ErrorCode } from '../../errors/codes.js';
import { SESSION_COOKIE, sessionOf } from '../../operators/sessions.js';
import { addressKey } from '../../rate-limits/index.js';
import { clientIp } from '../../request-ip.js';
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
import { webhookRoutes } from './webhooks/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The project the request's secret key opened (server API routes only). */
    serverAuth: ServerAuth;
  }
  interface FastifyContextConfig {
    /** The key environments a server API route answers (absent: both); the dashboard's operator is production. */
    environments?: readonly Environment[];
    /** The body may be left out: an empty one sent as `application/json` is no body (app.ts). */
    optionalBody?: boolean;
  }
}

/** The server API: the customer's backend, authenticated by its secret key. No CORS: never from a browser. */
export function apiRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.decorateRequest('serverAuth', null as unknown as ServerAuth);
    // Rate limits (SPEC §11), before the body is read or anything is looked up or written.
    app.addHook('onRequest', async (request) => {
      // An address that keeps presenting bad credentials is refused before its next guess is even looked
      // up, whatever it presents: answering a right guess differently would tell a guesser it was right.
      // A secret key is known without a lookup: the address's check and the key's count go as one step.
      const key = keyCallerOf(request);
      if (key !== null) return deps.rateLimiter.checkThenTake(['client_ip', authFailuresOf(request)], ['api_key', key]);
      await deps.rateLimiter.check('client_ip', authFailuresOf(request));
      const operator = await operatorCallerOf(deps, request);
      if (operator !== null) await deps.rateLimiter.take('api_key', operator);
    });
    app.addHook('preHandler', async (request) => {
      try {
        request.serverAuth = await authenticateSecretKey(deps, request);
      } catch (error) {
        // Every garbage key has a bucket of its own, so guessing is counted per address instead.
        if (error instanceof AppError && authFailureCodes.has(error.code)) await deps.rateLimiter.take('client_ip', authFailuresOf(request));
        throw error;
      }
      const allowed = request.routeOptions.config.environments;
      if (allowed && !allowed.includes(request.serverAuth.environment)) {
        throw new AppError('ENVIRONMENT_NOT_ALLOWED', `This route answers a ${allowed.join(' or ')} key (or the dashboard); this is a ${request.serverAuth.environment} key`);
      }
    });
    // Evaluations, their challenges and policies are the key's environment's own (another's is not
    // found); what belongs to the whole project is production's (see productionOnly).
    await app.register(getEvaluationRoute(deps));
    await app.register(consumeEvaluationRoute(deps));
    await app.register(createEvaluationRoute(deps));
    await app.register(checksRoute(deps));
    await app.register(policyRoutes(deps));
    await app.register(productionOnly(listRoutes(deps)));
    await app.register(productionOnly(riskRoutes(deps)));
    await app.register(getChallengeRoute(deps));
    await app.register(challengeActionRoutes(deps));
    await app.register(productionOnly(webhookRoutes(deps)));
    await app.register(productionOnly(userRoutes(deps)));
    await app.register(referenceDataRoute(deps));
    await app.register(v2Routes(deps));
    await app.register(productionOnly(mailSettingsRoutes(deps)));
    await app.register(productionOnly(retentionSettingsRoutes(deps)));
  };
}

export const secured = [{ secretKey: [] }];

/**
 * Routes of what belongs to the whole project rather than to one environment: its settings (mail,
 * retention, risk overrides), webhook endpoint, lists, and users (one user row serves both environments'
 * evaluations). A development key must not read or change production through them, so they answer a
 * production key or the dashboard's operator only; the check is the authenticating preHandler's. (Keys
 * themselves are rotated from the dashboard and the CLI, never with a key.)
 */
function productionOnly(routes: FastifyPluginAsyncTypebox): FastifyPluginAsyncTypebox {
  return async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, environments: ['production'] };
      // Said in the OpenAPI document too (@fastify/swagger reads the route options after this hook).
      const note = 'Production key (or the dashboard) only: a development key gets 403 `ENVIRONMENT_NOT_ALLOWED`.';
      if (route.schema) route.schema = { ...route.schema, description: route.schema.description ? `${route.schema.description}\n\n${note}` : note };
    });
    await scope.register(routes);
  };
}

const authFailureCodes = new Set<ErrorCode>(['MISSING_SECRET_KEY', 'INVALID_SECRET_KEY', 'NOT_LOGGED_IN', 'CSRF_TOKEN_INVALID']);

/** The address's failed-authentication window (counted under client_ip's limit, apart from its client-API requests). */
const authFailuresOf = (request: FastifyRequest) => `server-api-auth-failures ${addressKey(clientIp(request) ?? request.ip)}`;

/**
 * Who the api_key limit counts (keyCallerOf, operatorCallerOf): the presented secret key by its SHA-256
 * (the counters never hold a raw key, so nothing there is worth stealing), or the dashboard's operator
 * behind the session. Hashing what is presented needs no lookup, so the limit applies before the key is
 * checked; a valid key's hash stands for that one key (rotated keys count apart). An operator counts
 * across sessions and projects, so logging in again does not buy a fresh allowance; that costs one
 * session read, on dashboard calls only. null: nothing presented that could authenticate, which the
 * failure count above handles.
 */
function keyCallerOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const key = header === undefined ? undefined : /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  return key ? `key ${hash('sha256', key, 'hex')}` : null;
}

/** The operator: only without an Authorization header (a malformed one is counted as a failure, above). */
async function operatorCallerOf(deps: Deps, request: FastifyRequest): Promise<string | null> {
  if (request.headers.authorization !== undefined || request.headers['x-vigil-project'] === undefined) return null;
  const session = await sessionOf(deps, request.cookies[SESSION_COOKIE]);
  return session ? `operator ${session.operator.id}` : null;
}
