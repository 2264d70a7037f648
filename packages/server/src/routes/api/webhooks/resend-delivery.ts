import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { presentWebhookDelivery } from '../../../presenters/webhook.js';
import { ErrorReply } from '../../../schemas/evaluation.js';
import { WebhookDeliveryIdParams, WebhookDeliveryReply } from '../../../schemas/webhook.js';
import type { Deps } from '../../../use-cases/deps.js';
import { resendWebhookDelivery } from '../../../use-cases/webhooks/endpoints.js';
import { secured } from '../index.js';

export function resendWebhookDeliveryRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v3/webhook/deliveries/:id/resend',
      {
        config: { optionalBody: true },
        schema: {
          tags: ['webhooks'],
          operationId: 'resendWebhookDelivery',
          summary: 'Send a delivery again: a new delivery of the same event to the same endpoint, due now',
          security: secured,
          params: WebhookDeliveryIdParams,
          response: { 201: WebhookDeliveryReply, '4xx': ErrorReply },
        },
      },
      async (request, reply) => reply.status(201).send(presentWebhookDelivery(await resendWebhookDelivery(deps, request.serverAuth.project, request.params.id))),
    );
  };
}
