import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { checkRegistry } from '@vigil/core';
import { Type } from 'typebox';
import { ErrorReply } from '../../schemas/evaluation.js';
import type { Deps } from '../../use-cases/deps.js';
import { secured } from './index.js';

const CheckDefinition = Type.Object({
  name: Type.String(),
  family: Type.String(),
  type: Type.Union([Type.Literal('boolean'), Type.Literal('number'), Type.Literal('string')]),
  description: Type.String(),
  unit: Type.Optional(Type.String()),
  params: Type.Optional(Type.String()),
});

/** The check registry (SPEC §4): what the policy editor offers and the docs list. */
export function checksRoute(_deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v3/checks',
      {
        schema: {
          tags: ['policies'],
          operationId: 'listChecks',
          summary: 'Every check a policy can use, with its type and meaning',
          security: secured,
          response: { 200: Type.Object({ object: Type.Literal('list'), data: Type.Array(CheckDefinition) }), '4xx': ErrorReply },
        },
      },
      async () => ({ object: 'list' as const, data: checkRegistry.map((c) => ({ ...c })) }),
    );
  };
}
