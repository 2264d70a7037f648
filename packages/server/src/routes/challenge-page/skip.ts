import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../use-cases/deps.js';
import { PageParams, pageResponses, SkipForm } from '../../schemas/hosted-page.js';
import { skipChallenge } from '../../use-cases/challenges/index.js';
import { AppError } from '../../errors/codes.js';
import { FORM } from '../../schemas/html-page.js';
import type { HostedPage } from './page.js';

export function skipRoute(deps: Deps, page: HostedPage) {
  const { send, open, stateOf } = page;
  return async (app: FastifyInstance) => {
    app.post<{ Params: { id: string }; Body: Record<string, string> | undefined }>(
      '/challenge/:id/skip',
      {
        schema: {
          tags: ['challenge page'],
          operationId: 'challengePageSkip',
          summary: 'Skip the verification where the policy allows it (allow_skip); answers HTML or a redirect',
          consumes: FORM,
          params: PageParams,
          body: SkipForm,
          response: pageResponses({ 303: "Skipped: on to the policy's success URL", 409: 'The challenge is closed' }),
        },
      },
      async (request, reply) => {
        const token = request.body?.t;
        const opened = await open(request.params.id, token, reply, request.body?.r);
        if (!opened) return reply;
        const fresh = (await deps.store.challenges.findById(opened.challenge.id)) ?? opened.challenge;
        if (fresh.config.allow_skip !== true || fresh.method !== 'verification')
          return send(reply, 403, await stateOf(opened, token!, { alert: 'This verification cannot be skipped.' }));
        try {
          await skipChallenge(deps, fresh);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          return send(reply, error.status, await stateOf(opened, token!, error.code === 'CHALLENGE_CLOSED' ? {} : { alert: error.message }));
        }
        const state = await stateOf(opened, token!);
        if (state.successUrl) return reply.code(303).header('location', state.successUrl).header('referrer-policy', 'no-referrer').send();
        return send(reply, 200, state);
      },
    );
  };
}
