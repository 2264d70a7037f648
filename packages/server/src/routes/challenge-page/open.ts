import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../use-cases/deps.js';
import { OpenPageQuery, PageParams, pageResponses } from '../../schemas/hosted-page.js';
import { presentChallenge } from '../../use-cases/challenges/index.js';
import { AppError } from '../../errors/codes.js';
import type { HostedPage } from './page.js';

export function openPageRoute(deps: Deps, page: HostedPage) {
  const { send, open, stateOf } = page;
  return async (app: FastifyInstance) => {
    app.get<{ Params: { id: string }; Querystring: { t?: string; r?: string } }>(
      '/challenge/:id',
      {
        schema: {
          tags: ['challenge page'],
          operationId: 'challengePageOpen',
          summary: 'The hosted challenge page the signed link opens (HTML)',
          params: PageParams,
          querystring: OpenPageQuery,
          response: pageResponses({ 409: 'The challenge is closed' }),
        },
      },
      async (request, reply) => {
        const opened = await open(request.params.id, request.query.t, reply, request.query.r);
        if (!opened) return reply;
        try {
          await presentChallenge(deps, opened.challenge);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          return send(reply, error.status, await stateOf(opened, request.query.t!, { alert: error.message }));
        }
        return send(reply, 200, await stateOf(opened, request.query.t!));
      },
    );
  };
}
