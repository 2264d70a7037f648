import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorReply } from '../../schemas/evaluation.js';
import { ChallengeChannelName } from '../../schemas/closed-sets.js';
import { channelFor, codeCheckError, completeChallenge, loadChallenge, sendChallengeCode, verifyChallengeCode } from '../../use-cases/challenges/index.js';
import type { ServerAuth } from '../../auth/secret-key.js';
import type { Deps } from '../../use-cases/deps.js';
import { secured } from './index.js';

const Params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const StatusReply = Type.Object({ id: Type.String(), status: Type.String() }, { additionalProperties: false });

/**
 * The v2 server flow (SPEC §7): the application's backend sends the code, checks what its own page
 * collected, and completes the challenge, instead of using the hosted page.
 */
export function challengeActionRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const load = (auth: ServerAuth, id: string) => loadChallenge(deps, auth, id);

    app.post(
      '/v3/challenges/:id/send',
      {
        schema: {
          tags: ['challenges'],
          operationId: 'sendChallengeCode',
          summary: 'Send the verification code (email or SMS)',
          security: secured,
          params: Params,
          body: Type.Object({ channel: Type.Optional(ChallengeChannelName) }, { additionalProperties: false }),
          response: {
            200: Type.Object({ id: Type.String(), status: Type.Literal('code_sent'), channel: ChallengeChannelName }, { additionalProperties: false }),
            '4xx': ErrorReply,
            '5xx': ErrorReply,
          },
        },
        // The body is optional: a bare POST sends by the challenge's first channel.
        config: { optionalBody: true },
        preValidation: async (request) => {
          request.body ??= {};
        },
      },
      async (request) => {
        const challenge = await load(request.serverAuth, request.params.id);
        const channel = channelFor(deps, challenge, request.body.channel);
        await sendChallengeCode(deps, challenge, channel, request.serverAuth.project.name);
        return { id: challenge.id, status: 'code_sent' as const, channel };
      },
    );

    app.post(
      '/v3/challenges/:id/verify',
      {
        schema: {
          tags: ['challenges'],
          operationId: 'verifyChallengeCode',
          summary: 'Check the code the user entered; passing verifies their email or phone',
          security: secured,
          params: Params,
          body: Type.Object({ code: Type.String({ maxLength: 32, pattern: '^\\s*[0-9]{6}\\s*$', description: 'The 6-digit code' }) }, { additionalProperties: false }),
          response: { 200: StatusReply, '4xx': ErrorReply },
        },
      },
      async (request) => {
        const challenge = await load(request.serverAuth, request.params.id);
        const result = await verifyChallengeCode(deps, challenge, request.body.code, { complete: false });
        if (result.outcome !== 'passed') throw codeCheckError(result, challenge.status);
        return { id: challenge.id, status: 'verified' };
      },
    );

    app.post(
      '/v3/challenges/:id/complete',
      {
        config: { optionalBody: true },
        schema: {
          tags: ['challenges'],
          operationId: 'completeChallenge',
          summary: 'Complete a verified challenge',
          security: secured,
          params: Params,
          response: { 200: StatusReply, '4xx': ErrorReply },
        },
      },
      async (request) => {
        const challenge = await load(request.serverAuth, request.params.id);
        await completeChallenge(deps, challenge);
        return { id: challenge.id, status: 'completed' };
      },
    );
  };
}
