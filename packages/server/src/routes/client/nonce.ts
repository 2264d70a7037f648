import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authenticateClient } from '../../auth/client.js';
import { ensureDeviceCookie } from '../../auth/device-cookie.js';
import { ClientNonceBody, ClientNonceReply, ErrorReply } from '../../schemas/evaluation.js';
import { issueNonce } from '../../use-cases/issue-nonce.js';
import type { Deps } from '../../use-cases/deps.js';

export function clientNonceRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v3/client/nonce',
      {
        schema: {
          tags: ['client'],
          operationId: 'issueNonce',
          summary: 'A one-time nonce for the next evaluation, bound to this browser',
          body: ClientNonceBody,
          response: { 200: ClientNonceReply, '4xx': ErrorReply },
        },
      },
      async (request, reply) => {
        const project = await authenticateClient(deps, request.body.client_id, request.headers.origin);
        const deviceCookieId = ensureDeviceCookie(request, reply);
        return { nonce: await issueNonce(deps, project, deviceCookieId) };
      },
    );
  };
}
