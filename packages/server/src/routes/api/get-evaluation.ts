import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { presentEvaluation } from '../../presenters/evaluation.js';
import { ErrorReply, Evaluation, EvaluationIdParams } from '../../schemas/evaluation.js';
import { getEvaluation } from '../../use-cases/get-evaluation.js';
import type { Deps } from '../../use-cases/deps.js';
import { secured } from './index.js';

export function getEvaluationRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v3/evaluations/:id',
      {
        schema: {
          tags: ['server'],
          operationId: 'getEvaluation',
          summary: 'Read an evaluation with its explanation, without consuming it',
          security: secured,
          params: EvaluationIdParams,
          response: { 200: Evaluation, '4xx': ErrorReply },
        },
      },
      async (request) => presentEvaluation(await getEvaluation(deps, request.serverAuth.project, request.params.id, request.serverAuth.environment)),
    );
  };
}
