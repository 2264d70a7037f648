import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { presentListEntry } from '../../../presenters/list.js';
import { ErrorReply } from '../../../schemas/evaluation.js';
import { AddEntryBody, EntryReply, ListIdParams } from '../../../schemas/list.js';
import type { Deps } from '../../../use-cases/deps.js';
import { addListEntries } from '../../../use-cases/manage-lists.js';
import { secured } from '../index.js';

export function addListEntryRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v3/lists/:id/entries',
      {
        schema: {
          tags: ['lists'],
          operationId: 'addListEntry',
          summary: 'Add an entry',
          security: secured,
          params: ListIdParams,
          body: AddEntryBody,
          response: { 201: EntryReply, '4xx': ErrorReply },
        },
      },
      async (request, reply) => {
        const added = await addListEntries(deps, request.serverAuth.project, request.params.id, [request.body.value], request.body.expires_at);
        return reply.status(201).send(presentListEntry({ value: added.values[0]!, expiresAt: added.expiresAt, createdAt: added.now }));
      },
    );
  };
}
