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
    const name = url.split('/').at(-1)!;
    const schema = {
      tags: ['client'],
      operationId: `preflight${name[0]!.toUpperCase()}${name.slice(1)}`,
      summary: "The browser's CORS preflight: POST with a JSON body, from the page's origin (reflected, with credentials)",
      response: {
        204: {
          description: 'Allowed: the origin is checked against the project when the request itself comes',
          headers: {
            'access-control-allow-origin': { schema: { type: 'string' }, description: "The page's origin" },
            'access-control-allow-credentials': { schema: { type: 'string', enum: ['true'] } },
            'access-control-allow-methods': { schema: { type: 'string', enum: ['POST'] } },
            'access-control-allow-headers': { schema: { type: 'string', enum: ['content-type'] } },
            'access-control-max-age': { schema: { type: 'string', enum: ['600'] } },
          },
        },
      },
    };
    app.options(url, { schema }, async (_request, reply) =>
      reply.header('access-control-allow-methods', 'POST').header('access-control-allow-headers', 'content-type').header('access-control-max-age', '600').status(204).send(),
    );
  }
}
