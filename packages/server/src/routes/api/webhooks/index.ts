import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Deps } from '../../../use-cases/deps.js';
import { createWebhookEndpointRoute } from './create-endpoint.js';
import { deleteAllWebhookEndpointsRoute } from './delete-all-endpoints.js';
import { deleteWebhookEndpointRoute } from './delete-endpoint.js';
import { getFirstWebhookEndpointRoute } from './get-first-endpoint.js';
import { getWebhookEndpointRoute } from './get-endpoint.js';
import { listWebhookDeliveriesRoute } from './list-deliveries.js';
import { listWebhookEndpointsRoute } from './list-endpoints.js';
import { resendWebhookDeliveryRoute } from './resend-delivery.js';
import { setFirstWebhookEndpointRoute } from './set-first-endpoint.js';
import { updateWebhookEndpointRoute } from './update-endpoint.js';

/**
 * Webhooks: several endpoints per project, each sent the events it subscribes to, signed the Standard
 * Webhooks way (docs/api.md lists the events). `/v3/webhook` is the single-endpoint API of before, on
 * the project's first endpoint.
 */
export function webhookRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    for (const route of [
      listWebhookEndpointsRoute,
      createWebhookEndpointRoute,
      getWebhookEndpointRoute,
      updateWebhookEndpointRoute,
      deleteWebhookEndpointRoute,
      listWebhookDeliveriesRoute,
      resendWebhookDeliveryRoute,
      getFirstWebhookEndpointRoute,
      setFirstWebhookEndpointRoute,
      deleteAllWebhookEndpointsRoute,
    ]) {
      await app.register(route(deps));
    }
  };
}
