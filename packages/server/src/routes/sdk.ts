import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { FastifyPluginAsync } from 'fastify';

const require = createRequire(import.meta.url);

/** Serves the browser SDK (the IIFE build that defines `window.Vigil`) from the installed @vigil/client. */
export const sdkRoutes: FastifyPluginAsync = async (app) => {
  let bundle: Buffer | undefined;
  app.get('/sdk/vigil.js', { schema: { hide: true } }, async (_request, reply) => {
    // Read on first use, not at start, so a server without a built SDK still starts and says why here.
    bundle ??= await readFile(require.resolve('@vigil/client/bundle'));
    return reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .header('access-control-allow-origin', '*')
      .header('cross-origin-resource-policy', 'cross-origin')
      .send(bundle);
  });
};
