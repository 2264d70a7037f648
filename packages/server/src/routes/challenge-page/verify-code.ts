import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../use-cases/deps.js';
import { PageParams, pageResponses, VerifyForm } from '../../schemas/hosted-page.js';
import { verifyChallengeCode } from '../../use-cases/challenges/index.js';
import { AppError } from '../../errors/codes.js';
import { FORM } from '../../schemas/html-page.js';
import type { HostedPage } from './page.js';

export function verifyCodeRoute(deps: Deps, page: HostedPage) {
  const { send, open, stateOf } = page;
  return async (app: FastifyInstance) => {
    app.post<{ Params: { id: string }; Body: Record<string, string> | undefined }>(
      '/challenge/:id/verify',
      {
        schema: {
          tags: ['challenge page'],
          operationId: 'challengePageVerifyCode',
          summary: 'Check the code entered on the hosted challenge page; answers HTML or a redirect',
          consumes: FORM,
          params: PageParams,
          body: VerifyForm,
          response: pageResponses({
            303: "Verified: on to the page the user came from, or the policy's success URL",
            409: 'The challenge is closed',
            410: 'The code expired',
            422: 'Not the code, or not 6 digits',
          }),
        },
      },
      async (request, reply) => {
        const token = request.body?.t;
        const opened = await open(request.params.id, token, reply, request.body?.r);
        if (!opened) return reply;
        const { challenge } = opened;
        const given = String(request.body?.code ?? '');
        if (!/^\s*\d{6}\s*$/.test(given)) return send(reply, 422, await stateOf(opened, token!, { alert: 'Enter the 6 digits of the code.' }));
        let result: Awaited<ReturnType<typeof verifyChallengeCode>>;
        try {
          result = await verifyChallengeCode(deps, challenge, given, { complete: true });
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          return send(reply, error.status, await stateOf(opened, token!, { alert: error.message }));
        }
        const state = await stateOf(opened, token!);
        switch (result.outcome) {
          case 'passed':
            if (state.successUrl) return reply.code(303).header('location', state.successUrl).header('referrer-policy', 'no-referrer').send();
            return send(reply, 200, state);
          case 'wrong':
            return send(reply, 422, { ...state, alert: `That code is not right. ${result.attemptsLeft} attempt${result.attemptsLeft === 1 ? '' : 's'} left.` });
          case 'failed':
            return send(reply, 422, { ...state, view: 'failed', alert: 'The code was wrong five times.' });
          case 'expired':
            return send(reply, 410, { ...state, alert: 'That code has expired. Send a new one.' });
          case 'no_code':
            return send(reply, 409, { ...state, alert: 'Send a code first.' });
          case 'closed':
            return send(reply, 409, state);
        }
      },
    );
  };
}
