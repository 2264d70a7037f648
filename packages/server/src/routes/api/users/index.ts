import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Deps } from '../../../use-cases/deps.js';
import { listUserDevicesRoute } from './devices.js';
import { eraseUserRoute } from './erase.js';
import { getUserRoute } from './get.js';
import { suspendUserRoute, unsuspendUserRoute } from './set-suspended.js';
import { updateUserRoute } from './update.js';

/** Users by the application's own ids: read, suspend and lift, erase, their devices, and what the app tells of them. One operation per file. */
export function userRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    for (const route of [getUserRoute, suspendUserRoute, unsuspendUserRoute, eraseUserRoute, listUserDevicesRoute, updateUserRoute]) {
      await app.register(route(deps));
    }
  };
}
