import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { lookupCheck, riskTablesFor, validateRiskOverrides } from '@vigil/core';
import { Type } from 'typebox';
import { AppError, problemsMessage } from '../../errors/codes.js';
import { ErrorReply } from '../../schemas/evaluation.js';
import type { Deps } from '../../use-cases/deps.js';
import { secured } from './index.js';

const Open = Type.Object({}, { additionalProperties: true });
const RisksReply = Type.Object({ object: Type.Literal('list'), overrides: Open, data: Type.Array(Open) });

/** The risk tables in force for the project (SPEC §5), and its overrides and custom risks. */
export function riskRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['risks'];
    const reply = (overrides: Record<string, unknown>) => ({
      object: 'list' as const,
      overrides,
      data: riskTablesFor(overrides).map((t) => ({ ...t }) as unknown as Record<string, unknown>),
    });

    app.get(
      '/v3/risks',
      {
        schema: {
          tags,
          operationId: 'getRisks',
          summary: 'Risk tables in force: weights, combinations, thresholds',
          security: secured,
          response: { 200: RisksReply, '4xx': ErrorReply },
        },
      },
      async (request) => reply(request.serverAuth.project.riskOverrides),
    );

    app.put(
      '/v3/risks',
      {
        schema: {
          tags,
          operationId: 'updateRisks',
          summary: "Replace the project's risk overrides (per category: rules, combinations, thresholds; unknown names are custom risks)",
          security: secured,
          body: Open,
          response: { 200: RisksReply, '4xx': ErrorReply },
        },
      },
      async (request) => {
        const result = validateRiskOverrides(request.body, (name) => lookupCheck(name) !== undefined);
        if (!result.ok) throw new AppError('INVALID_RISKS', problemsMessage(result.errors));
        const overrides = result.overrides as Record<string, unknown>;
        await deps.store.projects.setRiskOverrides(request.serverAuth.project.id, overrides, deps.now());
        return reply(overrides);
      },
    );
  };
}
