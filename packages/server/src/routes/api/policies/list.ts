import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { presentPolicy } from '../../../presenters/policy.js';
import { ErrorReply } from '../../../schemas/evaluation.js';
import { PolicyListReply } from '../../../schemas/policy.js';
import type { Deps } from '../../../use-cases/deps.js';
import { listPolicies } from '../../../use-cases/manage-policies.js';
import { secured } from '../index.js';

export function listPoliciesRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v3/policies',
      {
        schema: {
          tags: ['policies'],
          operationId: 'listPolicies',
          summary: 'List the policies, in the order they run',
          security: secured,
          response: { 200: PolicyListReply, '4xx': ErrorReply },
        },
      },
      async (request) => ({ object: 'list' as const, data: (await listPolicies(deps, request.serverAuth)).map(presentPolicy) }),
    );
  };
}
