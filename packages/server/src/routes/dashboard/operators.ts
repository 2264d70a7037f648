import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../errors/codes.js';
import { createOperator } from '../../operators/sessions.js';
import { iso } from '../../presenters/time.js';
import type { Deps } from '../../use-cases/deps.js';
import { operator } from './api.js';
import { ErrorReply } from '../../schemas/evaluation.js';
import { OperatorListReply, OperatorReply } from '../../schemas/dashboard.js';

const tags = ['dashboard'];

/** The instance's operators: list, add (with a password the new operator then uses), remove (never yourself). */
export function dashboardOperatorRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/dashboard/api/operators',
      { schema: { tags, operationId: 'dashboardListOperators', summary: "The instance's operators", security: operator, response: { 200: OperatorListReply, '4xx': ErrorReply } } },
      async (request) => ({
        data: (await deps.store.operators.list()).map((o) => ({
          id: o.id,
          email: o.email,
          created_at: iso(o.createdAt),
          last_login_at: o.lastLoginAt === null ? null : iso(o.lastLoginAt),
          you: o.id === request.operatorSession!.operatorId,
        })),
      }),
    );

    app.post(
      '/dashboard/api/operators',
      {
        schema: {
          tags,
          operationId: 'dashboardCreateOperator',
          summary: 'Add an operator, with a first password',
          security: operator,
          response: { 201: OperatorReply, '4xx': ErrorReply },
          body: Type.Object(
            { email: Type.String({ minLength: 3, maxLength: 320, pattern: '^[^@\\s]+@[^@\\s]+$' }), password: Type.String({ minLength: 12, maxLength: 1024 }) },
            { additionalProperties: false },
          ),
        },
      },
      async (request, reply) => {
        const created = await createOperator(deps, request.body.email.trim(), request.body.password);
        if (!created) throw new AppError('OPERATOR_EXISTS', `${request.body.email} is already an operator`);
        return reply.code(201).send({ id: created.id, email: created.email, created_at: iso(created.createdAt), last_login_at: null, you: false });
      },
    );

    app.delete(
      '/dashboard/api/operators/:id',
      {
        schema: {
          tags,
          operationId: 'dashboardDeleteOperator',
          summary: 'Remove an operator (not yourself); their sessions end',
          security: operator,
          params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
          response: { 204: Type.Null(), '4xx': ErrorReply },
        },
      },
      async (request, reply) => {
        // Removing yourself could leave nobody able to log in: another operator does it.
        if (request.params.id === request.operatorSession!.operatorId) throw new AppError('OPERATOR_IS_YOU', 'You cannot remove yourself: another operator can');
        if (!(await deps.store.operators.remove(request.params.id))) throw new AppError('OPERATOR_NOT_FOUND', `No operator ${request.params.id}`);
        return reply.code(204).send(null);
      },
    );
  };
}
