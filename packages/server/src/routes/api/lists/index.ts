import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { List, ListEntry } from '@vigil/store';
import { ErrorReply } from '../../../schemas/evaluation.js';
import {
  AddedReply,
  AddEntryBody,
  BulkBody,
  CreateListBody,
  EntryReply,
  ListEntriesQuery,
  ListEntryParams,
  ListIdParams,
  ListReply,
  ListsReply,
  ListWithEntriesReply,
  RemovedReply,
} from '../../../schemas/list.js';
import type { Deps } from '../../../use-cases/deps.js';
import { createList, findList, normalizeAll, parseExpiry } from '../../../use-cases/manage-lists.js';
import { secured } from '../index.js';
import { iso } from '../../../presenters/time.js';

const presentList = (l: List, entries: number) => ({ id: l.id, object: 'list_definition' as const, name: l.name, type: l.type, entries, createdAt: iso(l.createdAt) });
const presentEntry = (e: ListEntry) => ({ value: e.value, expires_at: e.expiresAt === null ? null : iso(e.expiresAt), createdAt: iso(e.createdAt) });

/** Lists (SPEC §6, §8, §8a): named sets of typed values that policies match with `in_list:<name>`. */
export function listRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['lists'];
    const count = async (projectId: string, id: string) => (await deps.store.lists.list(projectId)).find((l) => l.id === id)?.entries ?? 0;

    app.post(
      '/v3/lists',
      { schema: { tags, operationId: 'createList', summary: 'Create a list', security: secured, body: CreateListBody, response: { 201: ListReply, '4xx': ErrorReply } } },
      async (request, reply) => {
        const list = await createList(deps, request.serverAuth.project, request.body);
        return reply.status(201).send(presentList(list, 0));
      },
    );

    app.get(
      '/v3/lists',
      { schema: { tags, operationId: 'listLists', summary: "The project's lists", security: secured, response: { 200: ListsReply, '4xx': ErrorReply } } },
      async (request) => ({
        object: 'list' as const,
        data: (await deps.store.lists.list(request.serverAuth.project.id)).map((l) => presentList(l, l.entries)),
      }),
    );

    app.get(
      '/v3/lists/:id',
      {
        schema: {
          tags,
          operationId: 'getList',
          summary: 'A list and its entries, by value (page with `after`)',
          security: secured,
          params: ListIdParams,
          querystring: ListEntriesQuery,
          response: { 200: ListWithEntriesReply, '4xx': ErrorReply },
        },
      },
      async (request) => {
        const { project } = request.serverAuth;
        const list = await findList(deps, project, request.params.id);
        const limit = Math.min(Math.max(Number(request.query.limit ?? 100), 1), 1000);
        const entries = await deps.store.lists.entries(list.id, { limit: limit + 1, ...(request.query.after === undefined ? {} : { after: request.query.after }) });
        return { ...presentList(list, await count(project.id, list.id)), data: entries.slice(0, limit).map(presentEntry), has_more: entries.length > limit };
      },
    );

    app.post(
      '/v3/lists/:id/entries',
      {
        schema: {
          tags,
          operationId: 'addListEntry',
          summary: 'Add an entry',
          security: secured,
          params: ListIdParams,
          body: AddEntryBody,
          response: { 201: EntryReply, '4xx': ErrorReply },
        },
      },
      async (request, reply) => {
        const list = await findList(deps, request.serverAuth.project, request.params.id);
        const [value] = normalizeAll(list, [request.body.value]);
        const expiresAt = parseExpiry(deps, request.body.expires_at);
        const now = deps.now();
        await deps.store.lists.add({ listId: list.id, values: [value!], expiresAt, now });
        return reply.status(201).send(presentEntry({ value: value!, expiresAt, createdAt: now }));
      },
    );

    app.delete(
      '/v3/lists/:id/entries/:value',
      {
        schema: { tags, operationId: 'removeListEntry', summary: 'Remove an entry', security: secured, params: ListEntryParams, response: { 204: Type.Null(), '4xx': ErrorReply } },
      },
      async (request, reply) => {
        const list = await findList(deps, request.serverAuth.project, request.params.id);
        await deps.store.lists.remove({ listId: list.id, values: normalizeAll(list, [request.params.value]) });
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/v3/lists/:id/add',
      {
        schema: {
          tags,
          operationId: 'addListEntries',
          summary: 'Add one value or up to 500',
          security: secured,
          params: ListIdParams,
          body: BulkBody,
          response: { 200: AddedReply, '4xx': ErrorReply },
        },
      },
      async (request) => {
        const list = await findList(deps, request.serverAuth.project, request.params.id);
        const values = normalizeAll(list, 'values' in request.body ? request.body.values : [request.body.value]);
        return deps.store.lists.add({ listId: list.id, values, expiresAt: parseExpiry(deps, request.body.expires_at), now: deps.now() });
      },
    );

    app.post(
      '/v3/lists/:id/remove',
      {
        schema: {
          tags,
          operationId: 'removeListEntries',
          summary: 'Remove one value or up to 500',
          security: secured,
          params: ListIdParams,
          body: BulkBody,
          response: { 200: RemovedReply, '4xx': ErrorReply },
        },
      },
      async (request) => {
        const list = await findList(deps, request.serverAuth.project, request.params.id);
        return deps.store.lists.remove({ listId: list.id, values: normalizeAll(list, 'values' in request.body ? request.body.values : [request.body.value]) });
      },
    );
  };
}
