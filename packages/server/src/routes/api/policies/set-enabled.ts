import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { presentPolicy } from '../../../presenters/policy.js';
import { ErrorReply } from '../../../schemas/evaluation.js';
import { PolicyIdParams, PolicyReply } from '../../../schemas/policy.js';
import type { Deps } from '../../../use-cases/deps.js';
import { setPolicyEnabled } from '../../../use-cases/save-policy.js';
import { secured } from '../index.js';

/** `POST /v3/policies/{id}/enable` or `/disable`: one operation each, the same shape (a new version). */
function setEnabledRoute(deps: Deps, enabled: boolean): FastifyPluginAsyncTypebox {
  const verb = enabled ? 'enable' : 'disable';
  return async (app) => {
    app.post(
      `/v3/policies/:id/${verb}`,
      {
        schema: {
          tags: ['policies'],
          operationId: `${verb}Policy`,
          summary: `${enabled ? 'Enable' : 'Disable'} a policy (a new version)`,
          security: secured,
          params: PolicyIdParams,
          response: { 200: PolicyReply, '4xx': ErrorReply },
        },
      },
      async (request) => presentPolicy(await setPolicyEnabled(deps, request.serverAuth, request.params.id, enabled)),
    );
  };
}

export const enablePolicyRoute = (deps: Deps) => setEnabledRoute(deps, true);
export const disablePolicyRoute = (deps: Deps) => setEnabledRoute(deps, false);
