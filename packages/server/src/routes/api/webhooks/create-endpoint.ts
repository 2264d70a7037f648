import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { presentWebhookEndpoint } from '../../../presenters/webhook.js';
import { ErrorReply } from '../../../schemas/evaluation.js';
import { CreateWebhookEndpointBody, WebhookEndpointWithSecretReply } from '../../../schemas/webhook.js';
import type { Deps } from '../../../use-cases/deps.js';
import { createWebhookEndpoint } from '../../../use-cases/webhooks/endpoints.js';
import { secured } from '../index.js';

export function createWebhookEndpointRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v3/webhooks',
      {
        schema: {
          tags: ['webhooks'],
          operationId: 'createWebhookEndpoint',
          summary: 'Add a webhook endpoint for the events it names; answers its signing secret, once',
          security: secured,
          body: CreateWebhookEndpointBody,
          response: { 201: WebhookEndpointWithSecretReply, '4xx': ErrorReply },
        },
      },
      async (request, reply) => {
        const endpoint = await createWebhookEndpoint(deps, request.serverAuth.project, request.body);
        return reply.status(201).send({ ...presentWebhookEndpoint(endpoint), secret: endpoint.secret });
      },
    );
  };
}
