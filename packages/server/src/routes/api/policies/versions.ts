import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { iso } from '../../../presenters/time.js';
import { ErrorReply } from '../../../schemas/evaluation.js';
import { PolicyIdParams, PolicyVersionsReply } from '../../../schemas/policy.js';
import type { Deps } from '../../../use-cases/deps.js';
import { listPolicyVersions } from '../../../use-cases/manage-policies.js';
import { secured } from '../index.js';

export function listPolicyVersionsRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v3/policies/:id/versions',
      {
        schema: {
          tags: ['policies'],
          operationId: 'listPolicyVersions',
          summary: "A policy's versions, newest first",
          security: secured,
          params: PolicyIdParams,
          response: { 200: PolicyVersionsReply, '4xx': ErrorReply },
        },
      },
      async (request) => ({
        object: 'list' as const,
        data: (await listPolicyVersions(deps, request.serverAuth, request.params.id)).map((v) => ({
          version: v.version,
          policy: v.policy as unknown as Record<string, unknown>,
          createdAt: iso(v.createdAt),
        })),
      }),
    );
  };
}
