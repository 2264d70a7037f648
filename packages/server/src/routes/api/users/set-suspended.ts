import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { presentUser } from '../../../presenters/user.js';
import { ErrorReply } from '../../../schemas/evaluation.js';
import { UserParams, UserReply } from '../../../schemas/user.js';
import type { Deps } from '../../../use-cases/deps.js';
import { userNotFound } from '../../../use-cases/manage-users.js';
import { setSuspended } from '../../../use-cases/set-suspended.js';
import { secured } from '../index.js';

/** `POST /v3/users/{id}/suspend` or `/unsuspend`: one operation each, the same shape. */
function setSuspendedRoute(deps: Deps, suspended: boolean): FastifyPluginAsyncTypebox {
  const verb = suspended ? 'suspend' : 'unsuspend';
  return async (app) => {
    app.post(
      `/v3/users/:id/${verb}`,
      {
        schema: {
          tags: ['users'],
          operationId: `${verb}User`,
          summary: suspended ? 'Suspend a user (is_suspended holds until lifted)' : 'Lift a suspension',
          security: secured,
          params: UserParams,
          response: { 200: UserReply, '4xx': ErrorReply },
        },
      },
      async (request) => {
        const user = await setSuspended(deps, request.serverAuth.project.id, request.params.id, suspended);
        if (!user) throw userNotFound(request.params.id);
        return presentUser(user);
      },
    );
  };
}

export const suspendUserRoute = (deps: Deps) => setSuspendedRoute(deps, true);
export const unsuspendUserRoute = (deps: Deps) => setSuspendedRoute(deps, false);
