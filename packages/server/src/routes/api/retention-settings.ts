import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorReply } from '../../schemas/evaluation.js';
import type { Deps } from '../../use-cases/deps.js';
import { MAX_RETENTION_DAYS, presentRetention } from '../../use-cases/retention.js';
import { secured } from './index.js';

const tags = ['settings'];
const RetentionReply = Type.Object(
  {
    days: Type.Integer({ description: 'Days evaluations, challenges and sightings are kept' }),
    source: Type.Union([Type.Literal('project'), Type.Literal('instance')], { description: "project: its own; instance: VIGIL_RETENTION_DAYS's" }),
    instance_days: Type.Integer(),
  },
  { additionalProperties: false },
);

/** How long the project keeps what it records (SPEC §11); what is older is deleted within the hour. */
export function retentionSettingsRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v3/settings/retention',
      { schema: { tags, operationId: 'getRetentionSettings', summary: 'How long evaluations are kept', security: secured, response: { 200: RetentionReply, '4xx': ErrorReply } } },
      async (request) => presentRetention(deps, request.serverAuth.project),
    );
    app.put(
      '/v3/settings/retention',
      {
        schema: {
          tags,
          operationId: 'updateRetentionSettings',
          summary: "Set the project's retention (null: the instance's); older data is deleted within the hour",
          security: secured,
          body: Type.Object({ days: Type.Union([Type.Integer({ minimum: 1, maximum: MAX_RETENTION_DAYS }), Type.Null()]) }, { additionalProperties: false }),
          response: { 200: RetentionReply, '4xx': ErrorReply },
        },
      },
      async (request) => {
        const { project } = request.serverAuth;
        await deps.store.projects.setRetentionDays(project.id, request.body.days, deps.now());
        return presentRetention(deps, { retentionDays: request.body.days });
      },
    );
  };
}
