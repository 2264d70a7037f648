import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorReply } from '../../../schemas/evaluation.js';
import { ErasureReply, UserParams } from '../../../schemas/user.js';
import type { Deps } from '../../../use-cases/deps.js';
import { eraseUser } from '../../../use-cases/erase-user.js';
import { secured } from '../index.js';

export function eraseUserRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.delete(
      '/v3/users/:id',
      {
        schema: {
          tags: ['users'],
          operationId: 'eraseUser',
          summary: 'Erase a user for a GDPR request: everything Vigil holds about them, in one transaction, answering what went',
          security: secured,
          params: UserParams,
          response: { 200: ErasureReply, '4xx': ErrorReply },
        },
      },
      async (request) => {
        const e = await eraseUser(deps, request.serverAuth.project, request.params.id);
        return {
          object: 'user_erasure' as const,
          id: request.params.id,
          erased: {
            evaluations: e.evaluations,
            challenges: e.challenges,
            devices: e.devices,
            fingerprints: e.fingerprints,
            sightings: e.sightings,
            device_conflicts: e.deviceConflicts,
            list_entries: e.listEntries,
            webhook_deliveries: e.webhookDeliveries,
          },
        };
      },
    );
  };
}
