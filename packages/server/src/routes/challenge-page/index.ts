import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../use-cases/deps.js';
import { logOutDeviceRoute } from './log-out-device.js';
import { openPageRoute } from './open.js';
import { hostedPage } from './page.js';
import { sendCodeRoute } from './send-code.js';
import { skipRoute } from './skip.js';
import { verifyCodeRoute } from './verify-code.js';

/**
 * The hosted challenge page, `/challenge/{id}?t=<signed token>`: the user verifies by a code sent by
 * email or SMS, or logs devices out. Forms post back here (urlencoded, parsed for these routes only);
 * every answer is HTML. One operation per file, sharing page.ts.
 */
export function challengePageRoutes(deps: Deps) {
  return async (app: FastifyInstance) => {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    const page = hostedPage(deps);
    for (const route of [logOutDeviceRoute, skipRoute, openPageRoute, sendCodeRoute, verifyCodeRoute]) await app.register(route(deps, page));
  };
}
