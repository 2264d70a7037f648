import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { parseIp } from '@vigil/intel';
import { AppError } from '../../errors/codes.js';
import { presentEvaluation } from '../../presenters/evaluation.js';
import { CreateEvaluationBody, ErrorReply, Evaluation } from '../../schemas/evaluation.js';
import { evaluate } from '../../use-cases/evaluate.js';
import type { Deps } from '../../use-cases/deps.js';
import { secured } from './index.js';

export function createEvaluationRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v3/evaluations',
      {
        schema: {
          tags: ['server'],
          summary: 'Create an evaluation from your backend (the v2 account-takeover flow)',
          security: secured,
          body: CreateEvaluationBody,
          response: { 201: Evaluation, '4xx': ErrorReply },
        },
      },
      async (request, reply) => {
        const body = request.body;
        let ip: string | null = null;
        if (body.ip !== undefined) {
          ip = parseIp(body.ip)?.address ?? null;
          if (ip === null) throw new AppError('INVALID_IP', `body.ip ${JSON.stringify(body.ip)} is not an IPv4 or IPv6 address`);
        }
        const { project, environment } = request.serverAuth;
        const evaluation = await evaluate(deps, {
          project,
          environment,
          channel: 'server',
          action: body.action,
          user: { id: body.user, email: body.email ?? null, phone: body.phone ?? null },
          metadata: body.metadata ?? {},
          ip,
          userAgent: body.user_agent ?? null,
          fingerprint: body.fingerprint ?? null,
          origin: null,
          deviceCookieId: null,
        });
        return reply.status(201).send(presentEvaluation(evaluation));
      },
    );
  };
}
