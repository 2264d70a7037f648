import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { presentWebhookEndpoint } from '../../../presenters/webhook.js';
import { ErrorReply } from '../../../schemas/evaluation.js';
import { UpdateWebhookEndpointBody, WebhookEndpointIdParams, WebhookEndpointReply, WebhookEndpointWithSecretReply } from '../../../schemas/webhook.js';
import type { Deps } from '../../../use-cases/deps.js';
import { updateWebhookEndpoint } from '../../../use-cases/webhooks/endpoints.js';
import { secured } from '../index.js';

export function updateWebhookEndpointRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.patch(
      '/v3/webhooks/:id',
      {
        schema: {
          tags: ['webhooks'],
          operationId: 'updateWebhookEndpoint',
          summary: "Change a webhook endpoint's URL or events; rotate_secret answers a new secret, once",
          security: secured,
          params: WebhookEndpointIdParams,
          body: UpdateWebhookEndpointBody,
          response: { 200: Type.Union([WebhookEndpointWithSecretReply, WebhookEndpointReply]), '4xx': ErrorReply },
        },
      },
      async (request) => {
        const { url, events, rotate_secret: rotateSecret } = request.body;
        const endpoint = await updateWebhookEndpoint(deps, request.serverAuth.project, request.params.id, {
          ...(url === undefined ? {} : { url }),
          ...(events === undefined ? {} : { events }),
          ...(rotateSecret ? { rotateSecret } : {}),
        });
        return rotateSecret ? { ...presentWebhookEndpoint(endpoint), secret: endpoint.secret } : presentWebhookEndpoint(endpoint);
      },
    );
  };
}
