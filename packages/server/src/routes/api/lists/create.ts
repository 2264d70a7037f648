import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { presentList } from '../../../presenters/list.js';
import { ErrorReply } from '../../../schemas/evaluation.js';
import { CreateListBody, ListReply } from '../../../schemas/list.js';
import type { Deps } from '../../../use-cases/deps.js';
import { createList } from '../../../use-cases/manage-lists.js';
import { secured } from '../index.js';

export function createListRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v3/lists',
      {
        schema: { tags: ['lists'], operationId: 'createList', summary: 'Create a list', security: secured, body: CreateListBody, response: { 201: ListReply, '4xx': ErrorReply } },
      },
      async (request, reply) => reply.status(201).send(presentList(await createList(deps, request.serverAuth.project, request.body), 0)),
    );
  };
}
