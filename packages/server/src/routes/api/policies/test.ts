import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorReply } from '../../../schemas/evaluation.js';
import { PolicyBody } from '../../../schemas/policy.js';
import type { Deps } from '../../../use-cases/deps.js';
import { testPolicy } from '../../../use-cases/test-policy.js';
import { secured } from '../index.js';

export function testPolicyRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v3/policies/test',
      {
        schema: {
          tags: ['policies'],
          operationId: 'testPolicy',
          summary: "Run a draft policy over the last days' evaluations: how many it matches and how many verdicts it changes",
          security: secured,
          body: Type.Object({ policy: PolicyBody, days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90, default: 7 })) }, { additionalProperties: false }),
          response: {
            200: Type.Object({ evaluated: Type.Integer(), matched: Type.Integer(), changed: Type.Integer(), samples: Type.Array(Type.String()) }),
            '4xx': ErrorReply,
          },
        },
      },
      async (request) => testPolicy(deps, request.serverAuth, { policy: request.body.policy, days: request.body.days ?? 7 }),
    );
  };
}
