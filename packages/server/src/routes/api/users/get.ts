import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { presentUser } from '../../../presenters/user.js';
import { ErrorReply } from '../../../schemas/evaluation.js';
import { UserParams, UserReply } from '../../../schemas/user.js';
import type { Deps } from '../../../use-cases/deps.js';
import { findUser } from '../../../use-cases/manage-users.js';
import { secured } from '../index.js';

export function getUserRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v3/users/:id',
      {
        schema: {
          tags: ['users'],
          operationId: 'getUser',
          summary: 'A user and their state',
          security: secured,
          params: UserParams,
          response: { 200: UserReply, '4xx': ErrorReply },
        },
      },
      async (request) => presentUser(await findUser(deps, request.serverAuth, request.params.id)),
    );
  };
}
