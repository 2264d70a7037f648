import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { presentWebhookEndpoint } from '../../../presenters/webhook.js';
import { ErrorReply } from '../../../schemas/evaluation.js';
import { WebhookEndpointListReply } from '../../../schemas/webhook.js';
import type { Deps } from '../../../use-cases/deps.js';
import { secured } from '../index.js';

export function listWebhookEndpointsRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v3/webhooks',
      {
        schema: {
          tags: ['webhooks'],
          operationId: 'listWebhookEndpoints',
          summary: "The project's webhook endpoints, oldest first",
          security: secured,
          response: { 200: WebhookEndpointListReply, '4xx': ErrorReply },
        },
      },
      async (request) => ({ object: 'list' as const, data: (await deps.store.webhooks.endpoints(request.serverAuth.project.id)).map(presentWebhookEndpoint) }),
    );
  };
}
