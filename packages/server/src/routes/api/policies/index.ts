import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Deps } from '../../../use-cases/deps.js';
import { createPolicyRoute } from './create.js';
import { deletePolicyRoute } from './delete.js';
import { getPolicyRoute } from './get.js';
import { listPoliciesRoute } from './list.js';
import { reorderPoliciesRoute } from './reorder.js';
import { disablePolicyRoute, enablePolicyRoute } from './set-enabled.js';
import { testPolicyRoute } from './test.js';
import { updatePolicyRoute } from './update.js';
import { listPolicyVersionsRoute } from './versions.js';

/** Policies of the key's project and environment (SPEC §6): every save is a new version. One operation per file. */
export function policyRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    for (const route of [
      createPolicyRoute,
      listPoliciesRoute,
      reorderPoliciesRoute,
      testPolicyRoute,
      getPolicyRoute,
      updatePolicyRoute,
      deletePolicyRoute,
      enablePolicyRoute,
      disablePolicyRoute,
      listPolicyVersionsRoute,
    ]) {
      await app.register(route(deps));
    }
  };
}
