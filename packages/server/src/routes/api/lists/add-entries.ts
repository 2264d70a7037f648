import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorReply } from '../../../schemas/evaluation.js';
import { AddedReply, BulkBody, ListIdParams } from '../../../schemas/list.js';
import type { Deps } from '../../../use-cases/deps.js';
import { addListEntries } from '../../../use-cases/manage-lists.js';
import { secured } from '../index.js';

export function addListEntriesRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v3/lists/:id/add',
      {
        schema: {
          tags: ['lists'],
          operationId: 'addListEntries',
          summary: 'Add one value or up to 500',
          security: secured,
          params: ListIdParams,
          body: BulkBody,
          response: { 200: AddedReply, '4xx': ErrorReply },
        },
      },
      async (request) => {
        const values = 'values' in request.body ? request.body.values : [request.body.value];
        const { added, total } = await addListEntries(deps, request.serverAuth.project, request.params.id, values, request.body.expires_at);
        return { added, total };
      },
    );
  };
}
