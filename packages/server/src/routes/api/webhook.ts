import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { refuseForbiddenDestination } from '../../destinations/refuse-at-save.js';
import { AppError } from '../../errors/codes.js';
import { iso } from '../../presenters/time.js';
import { ErrorReply } from '../../schemas/evaluation.js';
import type { Deps } from '../../use-cases/deps.js';
import { newWebhookSecret } from '../../webhooks/sign.js';
import { secured } from './index.js';

const tags = ['webhooks'];
const Endpoint = Type.Object({ url: Type.String(), createdAt: Type.String({ format: 'date-time' }) }, { additionalProperties: false });

/**
 * The project's webhook endpoint: `challenge.initiated` and `challenge.completed`, signed the Standard
 * Webhooks way. The signing secret is shown once, when the endpoint is set (setting it again makes a new one).
 */
export function webhookRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/v3/webhook', { schema: { tags, summary: "Read the project's webhook endpoint", security: secured, response: { 200: Endpoint, '4xx': ErrorReply } } }, async (request) => {
      const endpoint = await deps.store.webhooks.endpoint(request.serverAuth.project.id);
      if (!endpoint) throw new AppError('NOT_FOUND', 'This project has no webhook endpoint: PUT /v3/webhook sets one');
      return { url: endpoint.url, createdAt: iso(endpoint.createdAt) };
    });

    app.put(
      '/v3/webhook',
      {
        schema: {
          tags,
          summary: 'Set the webhook endpoint; answers its signing secret, once',
          security: secured,
          body: Type.Object({ url: Type.String({ minLength: 1, maxLength: 2048, description: 'An http(s) URL that answers 2xx' }) }, { additionalProperties: false }),
          response: { 200: Type.Object({ url: Type.String(), secret: Type.String(), createdAt: Type.String({ format: 'date-time' }) }, { additionalProperties: false }), '4xx': ErrorReply },
        },
      },
      async (request) => {
        let url: URL;
        try {
          url = new URL(request.body.url);
        } catch {
          throw new AppError('VALIDATION_ERROR', 'url must be an absolute http(s) URL');
        }
        if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new AppError('VALIDATION_ERROR', 'url must be an http(s) URL');
        // The WHATWG parser has already spelled out decimal, hex and IPv4-mapped hosts (http://2130706433/ is 127.0.0.1).
        await refuseForbiddenDestination('url', url.hostname, { allowPrivate: deps.config.allowPrivateDestinations });
        const secret = newWebhookSecret();
        const now = deps.now();
        await deps.store.webhooks.setEndpoint(request.serverAuth.project.id, { url: url.href, secret }, now);
        return { url: url.href, secret, createdAt: iso(now) };
      },
    );

    app.delete('/v3/webhook', { schema: { tags, summary: 'Stop sending webhooks', security: secured, response: { 204: Type.Null(), '4xx': ErrorReply } } }, async (request, reply) => {
      if (!(await deps.store.webhooks.removeEndpoint(request.serverAuth.project.id))) throw new AppError('NOT_FOUND', 'This project has no webhook endpoint');
      return reply.status(204).send(null);
    });

    app.get(
      '/v3/webhook/deliveries',
      {
        schema: {
          tags,
          summary: 'Every webhook delivery: delivered, waiting for a retry, or given up',
          security: secured,
          response: {
            200: Type.Object({
              data: Type.Array(Type.Object({ id: Type.String(), type: Type.String(), attempts: Type.Integer(), status: Type.String(), next_attempt_at: Type.Union([Type.String(), Type.Null()]), last_error: Type.Union([Type.String(), Type.Null()]) })),
            }),
            '4xx': ErrorReply,
          },
        },
      },
      async (request) => ({
        data: (await deps.store.webhooks.deliveries(request.serverAuth.project.id)).map((d) => ({
          id: d.id,
          type: d.eventType,
          attempts: d.attempts,
          status: d.deliveredAt !== null ? 'delivered' : d.nextAttemptAt !== null ? 'pending' : 'failed',
          next_attempt_at: d.nextAttemptAt === null ? null : iso(d.nextAttemptAt),
          last_error: d.lastError,
        })),
      }),
    );
  };
}
