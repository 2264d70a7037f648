import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../../errors/codes.js';
import { iso } from '../../../presenters/time.js';
import { ErrorReply } from '../../../schemas/evaluation.js';
import type { Deps } from '../../../use-cases/deps.js';
import { secured } from '../index.js';

/** The single-endpoint API of before: the project's first endpoint. */
export function getFirstWebhookEndpointRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v3/webhook',
      {
        schema: {
          tags: ['webhooks'],
          operationId: 'getWebhook',
          summary: "The project's first webhook endpoint (all of them: GET /v3/webhooks)",
          security: secured,
          response: { 200: Type.Object({ url: Type.String(), createdAt: Type.String({ format: 'date-time' }) }, { additionalProperties: false }), '4xx': ErrorReply },
        },
      },
      async (request) => {
        const [first] = await deps.store.webhooks.endpoints(request.serverAuth.project.id);
        if (!first) throw new AppError('NOT_FOUND', 'This project has no webhook endpoint: PUT /v3/webhook or POST /v3/webhooks sets one');
        return { url: first.url, createdAt: iso(first.createdAt) };
      },
    );
  };
}
