import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { presentPolicy } from '../../../presenters/policy.js';
import { ErrorReply } from '../../../schemas/evaluation.js';
import { PolicyBody, PolicyReply } from '../../../schemas/policy.js';
import type { Deps } from '../../../use-cases/deps.js';
import { savePolicy } from '../../../use-cases/save-policy.js';
import { secured } from '../index.js';

export function createPolicyRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v3/policies',
      {
        schema: {
          tags: ['policies'],
          operationId: 'createPolicy',
          summary: 'Create a policy',
          security: secured,
          body: PolicyBody,
          response: { 201: PolicyReply, '4xx': ErrorReply },
        },
      },
      async (request, reply) => reply.status(201).send(presentPolicy(await savePolicy(deps, request.serverAuth, request.body))),
    );
  };
}
