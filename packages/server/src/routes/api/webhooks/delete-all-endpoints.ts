import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../../errors/codes.js';
import { ErrorReply } from '../../../schemas/evaluation.js';
import type { Deps } from '../../../use-cases/deps.js';
import { removeWebhookEndpoint } from '../../../use-cases/webhooks/endpoints.js';
import { secured } from '../index.js';

/** The single-endpoint API of before: stop sending webhooks (every endpoint goes). */
export function deleteAllWebhookEndpointsRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.delete(
      '/v3/webhook',
      {
        schema: {
          tags: ['webhooks'],
          operationId: 'deleteWebhook',
          summary: 'Stop sending webhooks: every endpoint of the project goes',
          security: secured,
          response: { 204: Type.Null(), '4xx': ErrorReply },
        },
      },
      async (request, reply) => {
        const project = request.serverAuth.project;
        const endpoints = await deps.store.webhooks.endpoints(project.id);
        if (endpoints.length === 0) throw new AppError('NOT_FOUND', 'This project has no webhook endpoint');
        for (const endpoint of endpoints) await removeWebhookEndpoint(deps, project, endpoint.id);
        return reply.status(204).send(null);
      },
    );
  };
}
