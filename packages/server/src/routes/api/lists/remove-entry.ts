import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorReply } from '../../../schemas/evaluation.js';
import { ListEntryParams } from '../../../schemas/list.js';
import type { Deps } from '../../../use-cases/deps.js';
import { removeListEntries } from '../../../use-cases/manage-lists.js';
import { secured } from '../index.js';

export function removeListEntryRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.delete(
      '/v3/lists/:id/entries/:value',
      {
        schema: {
          tags: ['lists'],
          operationId: 'removeListEntry',
          summary: 'Remove an entry',
          security: secured,
          params: ListEntryParams,
          response: { 204: Type.Null(), '4xx': ErrorReply },
        },
      },
      async (request, reply) => {
        await removeListEntries(deps, request.serverAuth.project, request.params.id, [request.params.value]);
        return reply.status(204).send(null);
      },
    );
  };
}
