import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../../errors/codes.js';
import { presentPolicy } from '../../../presenters/policy.js';
import { ErrorReply } from '../../../schemas/evaluation.js';
import { PolicyBody, PolicyIdParams, PolicyListReply, PolicyReply, PolicyVersionsReply } from '../../../schemas/policy.js';
import type { Deps } from '../../../use-cases/deps.js';
import { findPolicy, reorderPolicies, savePolicy, setPolicyEnabled } from '../../../use-cases/save-policy.js';
import { testPolicy } from '../../../use-cases/test-policy.js';
import { secured } from '../index.js';
import { iso } from '../../../presenters/time.js';

/** Policies of the key's project and environment (SPEC §6): every save is a new version. */
export function policyRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['policies'];
    app.post(
      '/v3/policies',
      { schema: { tags, operationId: 'createPolicy', summary: 'Create a policy', security: secured, body: PolicyBody, response: { 201: PolicyReply, '4xx': ErrorReply } } },
      async (request, reply) => reply.status(201).send(presentPolicy(await savePolicy(deps, request.serverAuth, request.body))),
    );

    app.get(
      '/v3/policies',
      { schema: { tags, operationId: 'listPolicies', summary: 'List the policies, in the order they run', security: secured, response: { 200: PolicyListReply, '4xx': ErrorReply } } },
      async (request) => {
        const { project, environment } = request.serverAuth;
        return { object: 'list' as const, data: (await deps.store.policies.list(project.id, environment)).map(presentPolicy) };
      },
    );

    app.post(
      '/v3/policies/reorder',
      {
        schema: {
          tags,
          operationId: 'reorderPolicies',
          summary: "Set the order the policies run in: every policy's id, first to run first (priorities become 1, 2, 3…)",
          security: secured,
          body: Type.Object({ order: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 500, uniqueItems: true }) }, { additionalProperties: false }),
          response: { 200: PolicyListReply, '4xx': ErrorReply },
        },
      },
      async (request) => ({ object: 'list' as const, data: (await reorderPolicies(deps, request.serverAuth, request.body.order)).map(presentPolicy) }),
    );

    app.get(
      '/v3/policies/:id',
      { schema: { tags, operationId: 'getPolicy', summary: 'Read a policy', security: secured, params: PolicyIdParams, response: { 200: PolicyReply, '4xx': ErrorReply } } },
      async (request) => presentPolicy(await findPolicy(deps, request.serverAuth, request.params.id)),
    );

    app.put(
      '/v3/policies/:id',
      {
        schema: { tags, operationId: 'updatePolicy', summary: 'Replace a policy (saves a new version)', security: secured, params: PolicyIdParams, body: PolicyBody, response: { 200: PolicyReply, '4xx': ErrorReply } },
      },
      async (request) => presentPolicy(await savePolicy(deps, request.serverAuth, request.body, request.params.id)),
    );

    app.delete(
      '/v3/policies/:id',
      { schema: { tags, operationId: 'deletePolicy', summary: 'Delete a policy (its versions stay readable)', security: secured, params: PolicyIdParams, response: { 204: Type.Null(), '4xx': ErrorReply } } },
      async (request, reply) => {
        await findPolicy(deps, request.serverAuth, request.params.id);
        await deps.store.policies.remove(request.serverAuth.project.id, request.params.id, deps.now());
        deps.policies.invalidate(request.serverAuth.project.id);
        return reply.status(204).send(null);
      },
    );

    for (const [verb, enabled] of [['enable', true], ['disable', false]] as const) {
      app.post(
        `/v3/policies/:id/${verb}`,
        { schema: { tags, operationId: verb === 'enable' ? 'enablePolicy' : 'disablePolicy', summary: `${verb === 'enable' ? 'Enable' : 'Disable'} a policy (a new version)`, security: secured, params: PolicyIdParams, response: { 200: PolicyReply, '4xx': ErrorReply } } },
        async (request) => presentPolicy(await setPolicyEnabled(deps, request.serverAuth, request.params.id, enabled)),
      );
    }

    app.post(
      '/v3/policies/test',
      {
        schema: {
          tags,
          operationId: 'testPolicy',
          summary: "Run a draft policy over the last days' evaluations: how many it matches and how many verdicts it changes",
          security: secured,
          body: Type.Object({ policy: PolicyBody, days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90, default: 7 })) }, { additionalProperties: false }),
          response: {
            200: Type.Object({ evaluated: Type.Integer(), matched: Type.Integer(), changed: Type.Integer(), samples: Type.Array(Type.String()) }),
            '4xx': ErrorReply,
          },
        },
      },
      async (request) => testPolicy(deps, request.serverAuth, { policy: request.body.policy, days: request.body.days ?? 7 }),
    );

    app.get(
      '/v3/policies/:id/versions',
      { schema: { tags, operationId: 'listPolicyVersions', summary: "A policy's versions, newest first", security: secured, params: PolicyIdParams, response: { 200: PolicyVersionsReply, '4xx': ErrorReply } } },
      async (request) => {
        // Like every policy route, only the key's environment's: a development key never reads production's rules.
        const versions = await deps.store.policies.versions(request.serverAuth.project.id, request.params.id, request.serverAuth.environment);
        if (!versions) throw new AppError('POLICY_NOT_FOUND', `No policy ${request.params.id} in this project`);
        return {
          object: 'list' as const,
          data: versions.map((v) => ({ version: v.version, policy: v.policy as unknown as Record<string, unknown>, createdAt: iso(v.createdAt) })),
        };
      },
    );
  };
}
