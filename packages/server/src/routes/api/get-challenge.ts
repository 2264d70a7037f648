import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorReply } from '../../schemas/evaluation.js';
import { loadChallenge } from '../../use-cases/challenges/index.js';
import type { Deps } from '../../use-cases/deps.js';
import { secured } from './index.js';
import { iso } from '../../presenters/time.js';

const ChallengeReply = Type.Object({
  id: Type.String(),
  object: Type.Literal('challenge'),
  evaluation: Type.String(),
  type: Type.String({ description: 'account_takeover, account_sharing, multi_accounting or fake_account' }),
  method: Type.String({ description: 'verification or device_limit' }),
  channels: Type.Array(Type.String()),
  reasons: Type.Array(Type.String()),
  status: Type.String({ description: 'created, presented, code_sent, verified, completed, or failed, skipped, overridden' }),
  device_limit: Type.Optional(Type.Integer()),
  success_url: Type.Optional(Type.String()),
  logout_url: Type.Optional(Type.String()),
  suppress_days: Type.Optional(Type.Integer()),
  allow_skip: Type.Optional(Type.Boolean()),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export function getChallengeRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v3/challenges/:id',
      {
        schema: {
          tags: ['challenges'],
          operationId: 'getChallenge',
          summary: 'Read a challenge a policy opened',
          security: secured,
          params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
          response: { 200: ChallengeReply, '4xx': ErrorReply },
        },
      },
      async (request) => {
        const c = await loadChallenge(deps, request.serverAuth, request.params.id);
        return {
          id: c.id,
          object: 'challenge' as const,
          evaluation: c.evaluationId,
          type: c.kind,
          method: c.method,
          channels: c.channels,
          reasons: c.reasons,
          status: c.status,
          ...(c.config as { device_limit?: number; success_url?: string; logout_url?: string; suppress_days?: number; allow_skip?: boolean }),
          createdAt: iso(c.createdAt),
          updatedAt: iso(c.updatedAt),
        };
      },
    );
  };
}
