import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { presentEvaluation } from '../../presenters/evaluation.js';
import { Type } from 'typebox';
import { ErrorReply, Evaluation, EvaluationIdParams, UserId } from '../../schemas/evaluation.js';
import { consumeEvaluation } from '../../use-cases/consume-evaluation.js';
import type { Deps } from '../../use-cases/deps.js';
import { secured } from './index.js';

export function consumeEvaluationRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v3/evaluations/:id/consume',
      {
        config: { optionalBody: true },
        schema: {
          tags: ['server'],
          operationId: 'consumeEvaluation',
          summary: 'Confirm an evaluation for one action: the second consume is a 409',
          security: secured,
          params: EvaluationIdParams,
          // Optional: a bare POST consumes. `user` gives a signup made before the account had an id its id.
          body: Type.Object({ user: Type.Optional(UserId) }, { additionalProperties: false }),
          response: { 200: Evaluation, '4xx': ErrorReply },
        },
        preValidation: async (request) => {
          request.body ??= {};
        },
      },
      async (request) =>
        presentEvaluation(await consumeEvaluation(deps, request.serverAuth, request.params.id, request.body.user === undefined ? {} : { user: request.body.user })),
    );
  };
}
