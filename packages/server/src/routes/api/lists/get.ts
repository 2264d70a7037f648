import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { presentList, presentListEntry } from '../../../presenters/list.js';
import { ErrorReply } from '../../../schemas/evaluation.js';
import { ListEntriesQuery, ListIdParams, ListWithEntriesReply } from '../../../schemas/list.js';
import type { Deps } from '../../../use-cases/deps.js';
import { listWithEntries } from '../../../use-cases/manage-lists.js';
import { secured } from '../index.js';

export function getListRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v3/lists/:id',
      {
        schema: {
          tags: ['lists'],
          operationId: 'getList',
          summary: 'A list and its entries, by value (page with `after`)',
          security: secured,
          params: ListIdParams,
          querystring: ListEntriesQuery,
          response: { 200: ListWithEntriesReply, '4xx': ErrorReply },
        },
      },
      async (request) => {
        const limit = Math.min(Math.max(Number(request.query.limit ?? 100), 1), 1000);
        const page = await listWithEntries(deps, request.serverAuth.project, request.params.id, {
          limit,
          ...(request.query.after === undefined ? {} : { after: request.query.after }),
        });
        return { ...presentList(page.list, page.count), data: page.entries.map(presentListEntry), has_more: page.hasMore };
      },
    );
  };
}
