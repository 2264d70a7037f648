import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { presentPolicy } from '../../../presenters/policy.js';
import { ErrorReply } from '../../../schemas/evaluation.js';
import { PolicyBody, PolicyIdParams, PolicyReply } from '../../../schemas/policy.js';
import type { Deps } from '../../../use-cases/deps.js';
import { savePolicy } from '../../../use-cases/save-policy.js';
import { secured } from '../index.js';

export function updatePolicyRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.put(
      '/v3/policies/:id',
      {
        schema: {
          tags: ['policies'],
          operationId: 'updatePolicy',
          summary: 'Replace a policy (saves a new version)',
          security: secured,
          params: PolicyIdParams,
          body: PolicyBody,
          response: { 200: PolicyReply, '4xx': ErrorReply },
        },
      },
      async (request) => presentPolicy(await savePolicy(deps, request.serverAuth, request.body, request.params.id)),
    );
  };
}
