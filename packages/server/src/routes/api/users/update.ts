import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorReply } from '../../../schemas/evaluation.js';
import { UpdateUserBody, UserParams } from '../../../schemas/user.js';
import type { Deps } from '../../../use-cases/deps.js';
import { updateUser } from '../../../use-cases/manage-users.js';
import { secured } from '../index.js';

export function updateUserRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v3/user/:id/update',
      {
        schema: {
          tags: ['users'],
          operationId: 'updateUser',
          summary: 'Change what Vigil knows of a user; only the fields sent change (Rupt name)',
          security: secured,
          params: UserParams,
          body: UpdateUserBody,
          response: { 204: Type.Null(), '4xx': ErrorReply },
        },
      },
      async (request, reply) => {
        await updateUser(deps, request.serverAuth, request.params.id, request.body);
        return reply.status(204).send(null);
      },
    );
  };
}
