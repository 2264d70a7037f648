import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { presentDevice } from '../../../presenters/user.js';
import { ErrorReply } from '../../../schemas/evaluation.js';
import { DeviceReply, UserParams } from '../../../schemas/user.js';
import type { Deps } from '../../../use-cases/deps.js';
import { userDevices } from '../../../use-cases/manage-users.js';
import { secured } from '../index.js';

export function listUserDevicesRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v3/user/:id/devices',
      {
        schema: {
          tags: ['users'],
          operationId: 'listUserDevices',
          summary: "The user's devices, most recent first (Rupt name)",
          security: secured,
          params: UserParams,
          response: { 200: Type.Object({ object: Type.Literal('list'), data: Type.Array(DeviceReply) }), '4xx': ErrorReply },
        },
      },
      async (request) => ({ object: 'list' as const, data: (await userDevices(deps, request.serverAuth, request.params.id)).map(presentDevice) }),
    );
  };
}
