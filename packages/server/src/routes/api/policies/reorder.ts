import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { presentPolicy } from '../../../presenters/policy.js';
import { ErrorReply } from '../../../schemas/evaluation.js';
import { PolicyListReply } from '../../../schemas/policy.js';
import type { Deps } from '../../../use-cases/deps.js';
import { reorderPolicies } from '../../../use-cases/save-policy.js';
import { secured } from '../index.js';

export function reorderPoliciesRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v3/policies/reorder',
      {
        schema: {
          tags: ['policies'],
          operationId: 'reorderPolicies',
          summary: "Set the order the policies run in: every policy's id, first to run first (priorities become 1, 2, 3…)",
          security: secured,
          body: Type.Object(
            { order: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 500, uniqueItems: true }) },
            { additionalProperties: false },
          ),
          response: { 200: PolicyListReply, '4xx': ErrorReply },
        },
      },
      async (request) => ({ object: 'list' as const, data: (await reorderPolicies(deps, request.serverAuth, request.body.order)).map(presentPolicy) }),
    );
  };
}
