import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Deps } from '../use-cases/deps.js';

const Status = Type.Union([Type.Literal('up'), Type.Literal('down')]);
const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  dependencies: Type.Object({
    database: Status,
    redis: Type.Union([Status, Type.Literal('off')], { description: '`off`: no REDIS_URL (a single node)' }),
  }),
});

/** How long a dependency may take to answer before it counts as down. */
const PROBE_MS = 2_000;

/** Resolves 'up' when `probe` settles well within PROBE_MS, 'down' when it fails or takes longer. */
async function probe(check: () => Promise<unknown>): Promise<'up' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'down'>((resolve) => (timer = setTimeout(resolve, PROBE_MS, 'down')));
  try {
    return await Promise.race([
      check().then(
        () => 'up' as const,
        () => 'down' as const,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/healthz`: 200 when this node can serve, 503 when a dependency it needs is unreachable, naming which,
 * so a load balancer takes the node out and an operator knows where to look. It asks each dependency
 * for nothing at every call (a `select 1`, a `PING`): a node that recovered says so at once.
 */
export function healthRoutes(deps: Pick<Deps, 'store' | 'redis'>): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/healthz',
      {
        schema: {
          tags: ['operations'],
          operationId: 'getHealth',
          summary: 'Whether this node can serve, and which dependency is down if not',
          response: { 200: Health, 503: Health },
        },
      },
      async (_request, reply) => {
        const redis = deps.redis;
        const [database, redisStatus] = await Promise.all([probe(() => deps.store.ping()), redis ? probe(() => redis.ping()) : Promise.resolve('off' as const)]);
        const ok = database === 'up' && redisStatus !== 'down';
        return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', dependencies: { database, redis: redisStatus } });
      },
    );
  };
}
