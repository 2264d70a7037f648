import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { presentWebhookEndpoint } from '../../../presenters/webhook.js';
import { ErrorReply } from '../../../schemas/evaluation.js';
import { WebhookEndpointIdParams, WebhookEndpointReply } from '../../../schemas/webhook.js';
import type { Deps } from '../../../use-cases/deps.js';
import { findWebhookEndpoint } from '../../../use-cases/webhooks/endpoints.js';
import { secured } from '../index.js';

export function getWebhookEndpointRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v3/webhooks/:id',
      {
        schema: {
          tags: ['webhooks'],
          operationId: 'getWebhookEndpoint',
          summary: 'A webhook endpoint (never its secret)',
          security: secured,
          params: WebhookEndpointIdParams,
          response: { 200: WebhookEndpointReply, '4xx': ErrorReply },
        },
      },
      async (request) => presentWebhookEndpoint(await findWebhookEndpoint(deps, request.serverAuth.project, request.params.id)),
    );
  };
}
