import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { presentList } from '../../../presenters/list.js';
import { ErrorReply } from '../../../schemas/evaluation.js';
import { ListsReply } from '../../../schemas/list.js';
import type { Deps } from '../../../use-cases/deps.js';
import { listLists } from '../../../use-cases/manage-lists.js';
import { secured } from '../index.js';

export function listListsRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v3/lists',
      { schema: { tags: ['lists'], operationId: 'listLists', summary: "The project's lists", security: secured, response: { 200: ListsReply, '4xx': ErrorReply } } },
      async (request) => ({ object: 'list' as const, data: (await listLists(deps, request.serverAuth.project)).map((l) => presentList(l, l.entries)) }),
    );
  };
}
