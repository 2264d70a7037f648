import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Deps } from '../../../use-cases/deps.js';
import { addListEntriesRoute } from './add-entries.js';
import { addListEntryRoute } from './add-entry.js';
import { createListRoute } from './create.js';
import { getListRoute } from './get.js';
import { listListsRoute } from './list.js';
import { removeListEntriesRoute } from './remove-entries.js';
import { removeListEntryRoute } from './remove-entry.js';

/** Lists (SPEC §6, §8, §8a): named sets of typed values that policies match with `in_list:<name>`. One operation per file. */
export function listRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    for (const route of [createListRoute, listListsRoute, getListRoute, addListEntryRoute, removeListEntryRoute, addListEntriesRoute, removeListEntriesRoute]) {
      await app.register(route(deps));
    }
  };
}
