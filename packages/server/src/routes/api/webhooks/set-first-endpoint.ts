import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { iso } from '../../../presenters/time.js';
import { ErrorReply } from '../../../schemas/evaluation.js';
import type { Deps } from '../../../use-cases/deps.js';
import { setFirstWebhookEndpoint } from '../../../use-cases/webhooks/endpoints.js';
import { secured } from '../index.js';

/** The single-endpoint API of before: sets the first endpoint's URL, with a new secret answered once. */
export function setFirstWebhookEndpointRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.put(
      '/v3/webhook',
      {
        schema: {
          tags: ['webhooks'],
          operationId: 'setWebhook',
          summary: "Set the project's first webhook endpoint (every event but evaluation.created); answers its signing secret, once",
          security: secured,
          body: Type.Object({ url: Type.String({ minLength: 1, maxLength: 2048, description: 'An http(s) URL that answers 2xx' }) }, { additionalProperties: false }),
          response: {
            200: Type.Object({ url: Type.String(), secret: Type.String(), createdAt: Type.String({ format: 'date-time' }) }, { additionalProperties: false }),
            '4xx': ErrorReply,
          },
        },
      },
      async (request) => {
        const endpoint = await setFirstWebhookEndpoint(deps, request.serverAuth.project, request.body.url);
        return { url: endpoint.url, secret: endpoint.secret, createdAt: iso(endpoint.createdAt) };
      },
    );
  };
}
