import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { UserDevice, UserRecord } from '@vigil/store';
import { Type } from 'typebox';
import { AppError } from '../../../errors/codes.js';
import { ErrorReply, Metadata } from '../../../schemas/evaluation.js';
import type { Deps } from '../../../use-cases/deps.js';
import { eraseUser } from '../../../use-cases/erase-user.js';
import { setSuspended } from '../../../use-cases/set-suspended.js';
import { secured } from '../index.js';
import { iso } from '../../../presenters/time.js';

const UserReply = Type.Object({
  id: Type.String({ description: "The application's id for the user" }),
  object: Type.Literal('user'),
  vigil_id: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  is_email_verified: Type.Boolean(),
  is_phone_verified: Type.Boolean(),
  is_suspended: Type.Boolean(),
  metadata: Type.Object({}, { additionalProperties: true }),
  groups: Type.Array(Type.String()),
  first_seen_at: Type.String({ format: 'date-time' }),
  last_seen_at: Type.String({ format: 'date-time' }),
});
const DeviceReply = Type.Object({
  id: Type.String(),
  object: Type.Literal('device'),
  device_class: Type.Union([Type.String(), Type.Null()]),
  user_agent: Type.Union([Type.String(), Type.Null()]),
  first_seen_at: Type.String({ format: 'date-time' }),
  last_seen_at: Type.String({ format: 'date-time' }),
  /** Set when a device-limit challenge logged this device out; cleared when the device is told so. */
  logged_out_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
// A user's id, or a signup's pending identity (`~email:…`, `~phone:…`) until the backend gives it one.
const UserParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 330, description: "The application's id of the user, or a signup's pending identity (`~email:…`)" }) });
const Count = (description: string) => Type.Integer({ minimum: 0, description });
const ErasureReply = Type.Object(
  {
    object: Type.Literal('user_erasure'),
    id: Type.String({ description: "The application's id for the user, who no longer exists in Vigil" }),
    erased: Type.Object(
      {
        evaluations: Count('Their evaluations'),
        challenges: Count('Their challenges, with the codes sent for them'),
        devices: Count('Devices only they used (a device another user also used stays; only their link to it goes)'),
        fingerprints: Count('Fingerprints only they used (likewise)'),
        sightings: Count('When they were seen with a device, a fingerprint or an IP'),
        device_conflicts: Count('Pairs of their devices seen too far apart for one person (people counts)'),
        list_entries: Count('List entries naming them: their id, email or phone, or a device or fingerprint erased with them (never an email domain, IP or country)'),
        webhook_deliveries: Count('Webhook deliveries (pending or delivered) whose payload names them or one of their challenges'),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
const UpdateBody = Type.Object(
  {
    email: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 320 }), Type.Null()])),
    phone: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 32 }), Type.Null()])),
    metadata: Type.Optional(Metadata),
    groups: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 100 })),
  },
  { additionalProperties: false },
);

const presentUser = (u: UserRecord) => ({
  id: u.externalId,
  object: 'user' as const,
  vigil_id: u.id,
  email: u.email,
  phone: u.phone,
  is_email_verified: u.emailVerified,
  is_phone_verified: u.phoneVerified,
  is_suspended: u.suspended,
  metadata: u.metadata,
  groups: u.groups,
  first_seen_at: iso(u.firstSeenAt),
  last_seen_at: iso(u.lastSeenAt),
});
const presentDevice = (d: UserDevice) => ({
  id: d.id,
  object: 'device' as const,
  device_class: d.deviceClass,
  user_agent: d.userAgent,
  first_seen_at: iso(d.firstSeenAt),
  last_seen_at: iso(d.lastSeenAt),
  logged_out_at: d.loggedOutAt === null ? null : iso(d.loggedOutAt),
});
const notFound = (id: string) => new AppError('USER_NOT_FOUND', `No user ${id} in this project`);

/** Users by the application's own ids: read, suspend and lift, erase, their devices, and what the app tells of them. */
export function userRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['users'];
    const find = async (projectId: string, id: string) => (await deps.store.users.find(projectId, id)) ?? Promise.reject(notFound(id));

    app.get(
      '/v3/users/:id',
      { schema: { tags, operationId: 'getUser', summary: 'A user and their state', security: secured, params: UserParams, response: { 200: UserReply, '4xx': ErrorReply } } },
      async (request) => presentUser(await find(request.serverAuth.project.id, request.params.id)),
    );

    for (const [verb, suspended] of [
      ['suspend', true],
      ['unsuspend', false],
    ] as const) {
      app.post(
        `/v3/users/:id/${verb}`,
        {
          schema: {
            tags,
            operationId: suspended ? 'suspendUser' : 'unsuspendUser',
            summary: suspended ? 'Suspend a user (is_suspended holds until lifted)' : 'Lift a suspension',
            security: secured,
            params: UserParams,
            response: { 200: UserReply, '4xx': ErrorReply },
          },
        },
        async (request) => {
          const user = await setSuspended(deps, request.serverAuth.project.id, request.params.id, suspended);
          if (!user) throw notFound(request.params.id);
          return presentUser(user);
        },
      );
    }

    app.delete(
      '/v3/users/:id',
      {
        schema: {
          tags,
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

    app.get(
      '/v3/user/:id/devices',
      {
        schema: {
          tags,
          operationId: 'listUserDevices',
          summary: "The user's devices, most recent first (Rupt name)",
          security: secured,
          params: UserParams,
          response: { 200: Type.Object({ object: Type.Literal('list'), data: Type.Array(DeviceReply) }), '4xx': ErrorReply },
        },
      },
      async (request) => {
        const user = await find(request.serverAuth.project.id, request.params.id);
        return { object: 'list' as const, data: (await deps.store.users.devices(user.id)).map(presentDevice) };
      },
    );

    app.post(
      '/v3/user/:id/update',
      {
        schema: {
          tags,
          operationId: 'updateUser',
          summary: 'Change what Vigil knows of a user; only the fields sent change (Rupt name)',
          security: secured,
          params: UserParams,
          body: UpdateBody,
          response: { 204: Type.Null(), '4xx': ErrorReply },
        },
      },
      async (request, reply) => {
        const updated = await deps.store.users.update(request.serverAuth.project.id, request.params.id, request.body);
        if (!updated) throw notFound(request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
