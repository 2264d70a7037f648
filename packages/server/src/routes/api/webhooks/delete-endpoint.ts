import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorReply } from '../../../schemas/evaluation.js';
import { WebhookEndpointIdParams } from '../../../schemas/webhook.js';
import type { Deps } from '../../../use-cases/deps.js';
import { removeWebhookEndpoint } from '../../../use-cases/webhooks/endpoints.js';
import { secured } from '../index.js';

export function deleteWebhookEndpointRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.delete(
      '/v3/webhooks/:id',
      {
        schema: {
          tags: ['webhooks'],
          operationId: 'deleteWebhookEndpoint',
          summary: 'Remove a webhook endpoint; what it was not yet sent is dropped',
          security: secured,
          params: WebhookEndpointIdParams,
          response: { 204: Type.Null(), '4xx': ErrorReply },
        },
      },
      async (request, reply) => {
        await removeWebhookEndpoint(deps, request.serverAuth.project, request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
