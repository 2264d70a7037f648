import type { FastifyInstance } from 'fastify';

/**
 * CORS for the client API, and only for it. The page's origin is reflected (never `*`, which forbids
 * credentials) so the device cookie travels; whether that origin may use a client id is decided per
 * project in the handlers, since a preflight carries no body to read the client id from. Hand-written
 * because @fastify/cors answers preflights with a wildcard route that would cover every other path too.
 */
export function clientCors(app: FastifyInstance, paths: readonly string[]): void {
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    reply.header('vary', 'Origin');
    if (origin === undefined) return;
    reply.header('access-control-allow-origin', origin);
    reply.header('access-control-allow-credentials', 'true');
  });
  for (const url of paths) {
    app.options(url, { schema: { hide: true } }, async (_request, reply) =>
      reply
        .header('access-control-allow-methods', 'POST')
        .header('access-control-allow-headers', 'content-type')
        .header('access-control-max-age', '600')
        .status(204)
        .send(),
    );
  }
}
