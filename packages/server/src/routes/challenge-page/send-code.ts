import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../use-cases/deps.js';
import { PageParams, pageResponses, SendForm } from '../../schemas/hosted-page.js';
import { channelFor, sendChallengeCode } from '../../use-cases/challenges/index.js';
import { AppError } from '../../errors/codes.js';
import { maskDestination } from '../../challenges/verification.js';
import { FORM } from '../../schemas/html-page.js';
import type { HostedPage } from './page.js';

export function sendCodeRoute(deps: Deps, page: HostedPage) {
  const { send, open, stateOf } = page;
  return async (app: FastifyInstance) => {
    app.post<{ Params: { id: string }; Body: Record<string, string> | undefined }>(
      '/challenge/:id/send',
      {
        schema: {
          tags: ['challenge page'],
          operationId: 'challengePageSendCode',
          summary: "Send the verification code from the hosted challenge page's form; answers HTML",
          consumes: FORM,
          params: PageParams,
          body: SendForm,
          response: pageResponses({ 409: 'Nowhere to send a code, or the challenge is closed', 429: 'Too soon to send another code' }),
        },
      },
      async (request, reply) => {
        const token = request.body?.t;
        const opened = await open(request.params.id, token, reply, request.body?.r);
        if (!opened) return reply;
        const { challenge, projectName } = opened;
        try {
          const { destination } = await sendChallengeCode(deps, challenge, channelFor(deps, challenge, request.body?.channel), projectName);
          return send(reply, 200, await stateOf(opened, token!, { view: 'enter_code', notice: `We sent a code to ${maskDestination(destination)}. It expires in 10 minutes.` }));
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          return send(reply, error.status, await stateOf(opened, token!, { alert: error.message }));
        }
      },
    );
  };
}
