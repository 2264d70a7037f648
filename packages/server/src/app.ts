import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import { dashboardAssetsDir } from '@vigil/dashboard';
import { dashboardRoutes } from './routes/dashboard/index.js';
import { nameSchemas, OPTIONAL_BODY } from './docs/named-schemas.js';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { registerErrorHandling, replyWithError } from './errors/error-handler.js';
import { challengePageRoutes } from './routes/challenge-page/index.js';
import { apiRoutes } from './routes/api/index.js';
import { clientRoutes } from './routes/client/index.js';
import { healthRoutes } from './routes/health.js';
import { sdkRoutes } from './routes/sdk.js';
import type { Deps } from './use-cases/deps.js';

export interface AppOptions {
  /** Log requests (pino, Fastify's own). Off in tests. */
  logger?: boolean;
  /** Where the log goes (standard output by default): tests read it. */
  logStream?: NodeJS.WritableStream;
}

/** A URL as it may be logged: its path, never its query. */
const pathOf = (url: string) => url.split('?')[0];

/**
 * The request's one log line. The path without its query: a query can hold a secret (the challenge
 * page's signed link `?t=`, the setup link's `?token=`) and the log is read by more people than the
 * server. Never headers.
 */
function logRequest(request: FastifyRequest, reply: FastifyReply) {
  request.log.info({ method: request.method, url: pathOf(request.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 }, 'request');
}

/** The HTTP app, not yet listening: tests drive it with `app.inject()`, `startServer` with `listen()`. */
export async function buildApp(deps: Deps, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger
      ? {
          level: deps.config.logLevel,
          ...(options.logStream ? { stream: options.logStream } : {}),
          serializers: {
            // Should a request ever be logged whole (an error's context): its path without the query,
            // and never its headers (Authorization, Cookie).
            req: (request: { method: string; url: string; host?: string; ip?: string }) => ({
              method: request.method,
              url: pathOf(request.url),
              host: request.host,
              remoteAddress: request.ip,
            }),
          },
          // The serializer above logs no headers; redact them anyway in case one is ever logged.
          redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
        }
      : false,
    // One line per request, written when the answer went out (below), instead of Fastify's two (one on
    // arrival, one on completion, each serialising the request): half the log for the same facts.
    logController: new LogController({ disableRequestLogging: true }),
    // Errors the router raises before any route runs (a malformed percent-encoding, an over-long path
    // segment) answer in our envelope too, not in Fastify's own JSON.
    frameworkErrors: (error, request, reply) => {
      replyWithError(error, request, reply);
      // No hook runs for these: the request line is written here.
      if (options.logger) logRequest(request, reply);
    },
    // The longest path parameter a route accepts is a list entry's value (an email: 320 characters);
    // Fastify's default of 100 made a longer entry impossible to remove. Schemas bound each parameter.
    routerOptions: { maxParamLength: 320 },
    bodyLimit: deps.config.bodyLimitBytes,
    trustProxy: deps.config.trustedProxies.length > 0 ? deps.config.trustedProxies : false,
    genReqId: () => `req_${randomUUID()}`,
    ajv: {
      // Types are checked, never coerced ("123" is not a number), and unknown fields are refused, not dropped.
      customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  registerErrorHandling(app);
  if (options.logger) {
    app.addHook('onResponse', (request, reply, done) => {
      logRequest(request, reply);
      done();
    });
  }
  // JSON only: a text/plain body (which Fastify parses by default) is a 415, not a confusing 400.
  app.removeContentTypeParser('text/plain');
  // Many HTTP clients send `content-type: application/json` on every POST, body or not. Where the body is
  // optional (`config.optionalBody`: consume, complete, send), an empty one is no body, not malformed JSON;
  // everywhere else it stays a MALFORMED_JSON that says the body is empty. Parsing is Fastify's own
  // (prototype poisoning refused).
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '' && request.routeOptions.config.optionalBody) return done(null, undefined);
    parseJson(request, body as string, done);
  });
  // Many HTTP clients send `content-type: application/json` on a DELETE or GET with no body; there is
  // nothing to parse, so that is not a malformed JSON body.
  app.addHook('onRequest', async (request) => {
    if ((request.method === 'DELETE' || request.method === 'GET') && !request.headers['content-length'] && !request.headers['transfer-encoding']) {
      delete request.headers['content-type'];
    }
  });
  await app.register(cookie);
  await app.register(swagger, {
    // A route whose body may be left out (config.optionalBody) says so: @fastify/swagger marks every body required.
    transform: ({ schema, url, route }) => ({ schema: route.config?.optionalBody && schema ? { ...schema, [OPTIONAL_BODY]: true } : schema, url }),
    // Titled schemas become components.schemas, referred to where used (docs/named-schemas.ts).
    transformObject: (document) => ('openapiObject' in document ? nameSchemas(document.openapiObject as Record<string, unknown>) : document.swaggerObject),
    openapi: {
      // 3.1: its schemas are JSON Schema 2020-12, so what the server validates with is what it publishes
      // (null as a type, propertyNames, const), where 3.0 needed lossy rewrites validators skipped.
      openapi: '3.1.0',
      info: {
        title: 'Vigil API',
        version: '3',
        description: 'Should we honor this action? The Rupt v3 API, self-hosted.',
        contact: { name: 'Vigil maintainers' },
        license: { name: 'MIT', identifier: 'MIT' },
      },
      servers: [{ url: 'http://127.0.0.1:8080', description: 'A server started by `npm start` (set VIGIL_PUBLIC_URL for yours)' }],
      tags: [
        { name: 'client', description: 'The browser: a public client id, never a secret' },
        { name: 'server', description: "Evaluations, from and for your backend's secret key" },
        { name: 'policies', description: 'What to do with an action when its conditions hold' },
        { name: 'lists', description: 'Values policies match and add to' },
        { name: 'users', description: 'What Vigil knows of your users' },
        { name: 'risks', description: 'The weighted risks and their thresholds' },
        { name: 'challenges', description: 'Verifying a user by a code, or logging devices out' },
        { name: 'webhooks', description: 'Events sent to your endpoints, signed the Standard Webhooks way' },
        { name: 'settings', description: "A project's mail and retention" },
        { name: 'reference data', description: 'The IP, email and user-agent data in use' },
        { name: 'v2', description: "Rupt v2's account-takeover flow on its own paths" },
        { name: 'challenge page', description: 'The hosted challenge page (HTML, for browsers)' },
        { name: 'dashboard', description: "The dashboard's API, for an operator's session" },
        { name: 'dashboard pages', description: 'The dashboard (HTML, for browsers)' },
        { name: 'operations', description: 'Health, for load balancers and monitors' },
      ],
      components: {
        securitySchemes: {
          secretKey: { type: 'http', scheme: 'bearer', description: 'A project secret key (sk_…)' },
          operatorSession: {
            type: 'apiKey',
            in: 'cookie',
            name: 'vigil_session',
            description: 'A dashboard operator session (log in at /dashboard/login); writes also need its CSRF token in x-vigil-csrf',
          },
        },
      },
    },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes(deps));
  await app.register(sdkRoutes);
  await app.register(clientRoutes(deps));
  await app.register(apiRoutes(deps));
  await app.register(challengePageRoutes(deps));
  await app.register(dashboardRoutes(deps, { assetsDir: dashboardAssetsDir() }));
  return app;
}
