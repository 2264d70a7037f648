import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../use-cases/deps.js';
import { LogOutForm, PageParams, pageResponses } from '../../schemas/hosted-page.js';
import { logOutDevice } from '../../use-cases/challenges/index.js';
import { AppError } from '../../errors/codes.js';
import { FORM } from '../../schemas/html-page.js';
import type { HostedPage } from './page.js';

export function logOutDeviceRoute(deps: Deps, page: HostedPage) {
  const { send, open, stateOf, activeDevices } = page;
  return async (app: FastifyInstance) => {
    app.post<{ Params: { id: string }; Body: Record<string, string> | undefined }>(
      '/challenge/:id/logout',
      {
        schema: {
          tags: ['challenge page'],
          operationId: 'challengePageLogOutDevice',
          summary: "Log one of the account's devices out (device limit), from the hosted challenge page's form; answers HTML",
          consumes: FORM,
          params: PageParams,
          body: LogOutForm,
          response: pageResponses({ 409: 'The challenge is closed', 422: 'That device cannot be logged out from here' }),
        },
      },
      async (request, reply) => {
        const token = request.body?.t;
        const opened = await open(request.params.id, token, reply, request.body?.r);
        if (!opened) return reply;
        const fresh = (await deps.store.challenges.findById(opened.challenge.id)) ?? opened.challenge;
        const device = String(request.body?.device ?? '').slice(0, 64);
        const label = (await activeDevices(fresh)).find((d) => d.id === device)?.label ?? 'The device';
        try {
          await logOutDevice(deps, fresh, device);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          if (error.code === 'VALIDATION_ERROR') return send(reply, 422, await stateOf(opened, token!, { alert: 'That device cannot be logged out from here.' }));
          if (error.code === 'CHALLENGE_CLOSED') return send(reply, 409, await stateOf(opened, token!));
          return send(reply, error.status, await stateOf(opened, token!, { alert: error.message }));
        }
        return send(reply, 200, await stateOf(opened, token!, { notice: `${label} was logged out.` }));
      },
    );
  };
}
