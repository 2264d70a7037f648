import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorReply } from '../../../schemas/evaluation.js';
import { BulkBody, ListIdParams, RemovedReply } from '../../../schemas/list.js';
import type { Deps } from '../../../use-cases/deps.js';
import { removeListEntries } from '../../../use-cases/manage-lists.js';
import { secured } from '../index.js';

export function removeListEntriesRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v3/lists/:id/remove',
      {
        schema: {
          tags: ['lists'],
          operationId: 'removeListEntries',
          summary: 'Remove one value or up to 500',
          security: secured,
          params: ListIdParams,
          body: BulkBody,
          response: { 200: RemovedReply, '4xx': ErrorReply },
        },
      },
      async (request) => removeListEntries(deps, request.serverAuth.project, request.params.id, 'values' in request.body ? request.body.values : [request.body.value]),
    );
  };
}
