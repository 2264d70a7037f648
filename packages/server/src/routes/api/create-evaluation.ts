import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { presentEvaluation } from '../../presenters/evaluation.js';
import { CreateEvaluationBody, ErrorReply, Evaluation } from '../../schemas/evaluation.js';
import { recordsAsJson } from '../../schemas/serialization.js';
import type { Deps } from '../../use-cases/deps.js';
import { evaluateFromBackend } from '../../use-cases/evaluate-from-backend.js';
import { secured } from './index.js';

export function createEvaluationRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v3/evaluations',
      {
        schema: {
          tags: ['server'],
          operationId: 'createEvaluation',
          summary: 'Create an evaluation from your backend (the v2 account-takeover flow)',
          security: secured,
          body: CreateEvaluationBody,
          response: { 201: Evaluation, '4xx': ErrorReply },
        },
        // Every evaluation's answer: its checks and metadata written by JSON.stringify (serialization.ts).
        serializerCompiler: recordsAsJson,
      },
      async (request, reply) => {
        const evaluation = await evaluateFromBackend(deps, request.serverAuth, request.body);
        return reply.status(201).send(presentEvaluation(evaluation));
      },
    );
  };
}
