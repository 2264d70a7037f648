import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../../../errors/codes.js';
import { presentWebhookDelivery } from '../../../presenters/webhook.js';
import { ErrorReply } from '../../../schemas/evaluation.js';
import { WebhookDeliveriesQuery, WebhookDeliveryListReply } from '../../../schemas/webhook.js';
import type { Deps } from '../../../use-cases/deps.js';
import { secured } from '../index.js';

export function listWebhookDeliveriesRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v3/webhook/deliveries',
      {
        schema: {
          tags: ['webhooks'],
          operationId: 'listWebhookDeliveries',
          summary: "Webhook deliveries, newest first: delivered, waiting for a retry, or given up (one endpoint's with `endpoint`; the next page `before` the last createdAt)",
          security: secured,
          querystring: WebhookDeliveriesQuery,
          response: { 200: WebhookDeliveryListReply, '4xx': ErrorReply },
        },
      },
      async (request) => {
        const { endpoint, before, limit } = request.query;
        const beforeMs = before === undefined ? undefined : Date.parse(before);
        if (beforeMs !== undefined && Number.isNaN(beforeMs)) throw new AppError('VALIDATION_ERROR', 'before must be an ISO 8601 time');
        const deliveries = await deps.store.webhooks.deliveries(request.serverAuth.project.id, {
          ...(endpoint === undefined ? {} : { endpointId: endpoint }),
          ...(beforeMs === undefined ? {} : { before: beforeMs }),
          limit: Math.min(Math.max(Number(limit ?? 100), 1), 500),
        });
        return { object: 'list' as const, data: deliveries.map(presentWebhookDelivery) };
      },
    );
  };
}
