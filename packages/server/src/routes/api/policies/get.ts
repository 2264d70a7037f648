import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { presentPolicy } from '../../../presenters/policy.js';
import { ErrorReply } from '../../../schemas/evaluation.js';
import { PolicyIdParams, PolicyReply } from '../../../schemas/policy.js';
import type { Deps } from '../../../use-cases/deps.js';
import { findPolicy } from '../../../use-cases/save-policy.js';
import { secured } from '../index.js';

export function getPolicyRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v3/policies/:id',
      {
        schema: {
          tags: ['policies'],
          operationId: 'getPolicy',
          summary: 'Read a policy',
          security: secured,
          params: PolicyIdParams,
          response: { 200: PolicyReply, '4xx': ErrorReply },
        },
      },
      async (request) => presentPolicy(await findPolicy(deps, request.serverAuth, request.params.id)),
    );
  };
}
