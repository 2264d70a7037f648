import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { presentEvaluation } from '../../presenters/evaluation.js';
import { ErrorReply, Evaluation, EvaluationIdParams } from '../../schemas/evaluation.js';
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
          summary: 'Confirm an evaluation for one action: the second consume is a 409',
          security: secured,
          params: EvaluationIdParams,
          response: { 200: Evaluation, '4xx': ErrorReply },
        },
      },
      async (request) => presentEvaluation(await consumeEvaluation(deps, request.serverAuth, request.params.id)),
    );
  };
}
