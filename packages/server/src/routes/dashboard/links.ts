import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { minimumPeople } from '@vigil/core';
import type { Project, SharedThing } from '@vigil/store';
import { Type } from 'typebox';
import { AppError } from '../../errors/codes.js';
import { iso } from '../../presenters/time.js';
import type { Deps } from '../../use-cases/deps.js';
import { describeDevice } from './device.js';
import { operator } from './api.js';
import { ErrorReply } from '../../schemas/evaluation.js';
import { LinksReply } from '../../schemas/dashboard.js';

const LIMITS = { depth: 2, maxAccounts: 40, maxPerThing: 12 };

const presentThing = (t: SharedThing) => ({
  kind: t.kind,
  id: t.id,
  ...(t.kind === 'device' ? describeDevice(t.deviceClass, t.userAgent) : { fingerprint: t.hash }),
  user_count: t.userCount,
  last_seen_at: iso(t.lastSeenAt),
});

/**
 * People and linked accounts (SPEC §8) for the dashboard's people page: around one account, the graph of
 * accounts tied by shared devices and fingerprints (each edge says which thing and when), and the fewest
 * people behind the account with the device conflicts that prove it; without an account, the project's
 * most recently used shared devices and fingerprints, where to start looking.
 */
export function dashboardLinkRoutes(deps: Deps, lookup: { project(id: string): Promise<Project> }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/dashboard/api/projects/:project/links',
      {
        schema: {
          tags: ['dashboard'],
          operationId: 'dashboardGetLinks',
          summary: 'People behind an account and the accounts linked to it; without one, the shared devices and fingerprints',
          security: operator,
          response: { 200: LinksReply, '4xx': ErrorReply },
          params: Type.Object({ project: Type.String({ minLength: 1, maxLength: 64 }) }),
          querystring: Type.Object({ user: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })) }, { additionalProperties: false }),
        },
      },
      async (request) => {
        const project = await lookup.project(request.params.project);
        const user = request.query.user;
        if (!user) return { shared: (await deps.store.links.recentShared(project.id, 30)).map((t) => ({ ...presentThing(t), users: t.users })) };
        const [graph, own] = await Promise.all([deps.store.links.graph(project.id, user, LIMITS), deps.store.links.devicesAndConflicts(project.id, user)]);
        if (!graph || !own) throw new AppError('USER_NOT_FOUND', `No user ${user} in this project`);
        return {
          user,
          accounts: graph.accounts.map((a) => ({ user: a.externalId, email: a.email, is_suspended: a.isSuspended, depth: a.depth })),
          shared: graph.shared.map(presentThing),
          sightings: graph.sightings.map((s) => ({ user: s.user, kind: s.kind, thing: s.thing, first_seen_at: iso(s.firstSeenAt), last_seen_at: iso(s.lastSeenAt) })),
          truncated: graph.truncated,
          people: {
            count: minimumPeople(
              own.devices.map((d) => d.id),
              own.conflicts.map((c) => [c.a, c.b] as const),
            ),
            devices: own.devices.map((d) => ({ id: d.id, ...describeDevice(d.deviceClass, d.userAgent), first_seen_at: iso(d.firstSeenAt), last_seen_at: iso(d.lastSeenAt) })),
            conflicts: own.conflicts.map((c) => ({ a: c.a, b: c.b, first_seen_at: iso(c.firstSeenAt) })),
          },
        };
      },
    );
  };
}
