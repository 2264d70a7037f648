import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorReply } from '../../../schemas/evaluation.js';
import { PolicyIdParams } from '../../../schemas/policy.js';
import type { Deps } from '../../../use-cases/deps.js';
import { deletePolicy } from '../../../use-cases/manage-policies.js';
import { secured } from '../index.js';

export function deletePolicyRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.delete(
      '/v3/policies/:id',
      {
        schema: {
          tags: ['policies'],
          operationId: 'deletePolicy',
          summary: 'Delete a policy (its versions stay readable)',
          security: secured,
          params: PolicyIdParams,
          response: { 204: Type.Null(), '4xx': ErrorReply },
        },
      },
      async (request, reply) => {
        await deletePolicy(deps, request.serverAuth, request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
