import { existsSync, readFileSync } from 'node:fs';
import { LogInForm, loginPageResponses, SetUpForm, SetupQuery, setupPageResponses } from '../../schemas/dashboard-pages.js';
import { FORM } from '../../schemas/html-page.js';
import { extname, join, normalize } from 'node:path';
import type { Project } from '@vigil/store';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors/codes.js';
import {
  SESSION_COOKIE,
  SESSION_TTL_MS,
  authenticateOperator,
  closeSession,
  createOperator,
  openSession,
  requireOperatorSession,
  sameSecret,
  sessionOf,
  setupToken,
} from '../../operators/sessions.js';
import type { Deps } from '../../use-cases/deps.js';
import { dashboardApiRoutes } from './api.js';
import { dashboardLinkRoutes } from './links.js';
import { dashboardOperatorRoutes } from './operators.js';
import { LoginThrottle } from '../../operators/login-throttle.js';
import { addressKey } from '../../rate-limits/index.js';
import { clientIp } from '../../request-ip.js';
import { loginPage, setupClosedPage, setupPage } from './pages.js';

const HTML_HEADERS = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-frame-options': 'DENY', 'referrer-policy': 'same-origin' };
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.html': 'text/html; charset=utf-8',
};

declare module 'fastify' {
  interface FastifyRequest {
    /** The dashboard API's operator session. */
    operatorSession: { operatorId: string; operatorEmail: string; csrfToken: string } | null;
  }
}

/**
 * The dashboard: log in and first-operator setup (server-rendered forms), the dashboard API under
 * `/dashboard/api/` (operator session cookie, CSRF header on writes), and the SPA's files.
 */
export function dashboardRoutes(deps: Deps, options: { assetsDir: string | null }) {
  return async (app: FastifyInstance) => {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    const html = (reply: FastifyReply, status: number, body: string) => reply.code(status).headers(HTML_HEADERS).send(body);
    const startSession = async (reply: FastifyReply, request: FastifyRequest, operator: Parameters<typeof openSession>[1]) => {
      const { token } = await openSession(deps, operator);
      // HttpOnly (no script reads it), SameSite=Strict (no other site sends it). Path / because the
      // dashboard also calls the server API (/v3) as the operator, with the CSRF header.
      reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', maxAge: SESSION_TTL_MS / 1000 });
      return reply.code(303).header('location', '/dashboard/').send();
    };

    app.get(
      '/dashboard/login',
      { schema: { tags: ['dashboard pages'], operationId: 'dashboardGetLoginPage', summary: "The dashboard's log-in page (HTML)", response: { 200: loginPageResponses[200] } } },
      async (_request, reply) => html(reply, 200, loginPage()),
    );
    // The counters the rate limits count in: with Redis, every node shares one login brake.
    const throttle = new LoginThrottle(deps.rateLimiter.counters, deps.now);
    app.post<{ Body: Record<string, string> | undefined }>(
      '/dashboard/login',
      {
        schema: {
          tags: ['dashboard pages'],
          operationId: 'dashboardLogIn',
          summary: 'Log in to the dashboard (form post): sets the session cookie and redirects to the dashboard',
          consumes: FORM,
          body: LogInForm,
          response: loginPageResponses,
        },
      },
      async (request, reply) => {
        const email = String(request.body?.email ?? '').slice(0, 320);
        const password = String(request.body?.password ?? '').slice(0, 1024);
        // The slot is taken before the ~100 ms password check, so guesses sent in parallel are counted too.
        // The address as the rate limits count it (clientIp unwraps ::ffff:a.b.c.d, which addressKey would
        // otherwise read as one IPv6 /64 for every IPv4 client; an IPv6 address by its /64).
        const slot = await throttle.attempt(email, addressKey(clientIp(request) ?? request.ip));
        if (!slot.allowed) {
          const minutes = Math.ceil(slot.waitMs / 60_000);
          return html(
            reply.header('retry-after', String(Math.ceil(slot.waitMs / 1000))),
            429,
            loginPage({ email, alert: `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.` }),
          );
        }
        const operator = email && password ? await authenticateOperator(deps, email, password) : null;
        if (!operator) return html(reply, 401, loginPage({ email, alert: 'Wrong email or password.' }));
        await slot.succeeded();
        return startSession(reply, request, operator);
      },
    );
    app.post(
      '/dashboard/logout',
      {
        schema: {
          tags: ['dashboard pages'],
          operationId: 'dashboardLogOut',
          summary: 'Log out of the dashboard: ends the session; answers the log-in page',
          response: { 200: loginPageResponses[200] },
        },
      },
      async (request, reply) => {
        await closeSession(deps, request.cookies[SESSION_COOKIE]);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return html(reply, 200, loginPage({ notice: 'You are logged out.' }));
      },
    );

    app.get<{ Querystring: { token?: string } }>(
      '/dashboard/setup',
      {
        schema: {
          tags: ['dashboard pages'],
          operationId: 'dashboardGetSetupPage',
          summary: "The page that creates the first operator, with the setup link's token (HTML)",
          querystring: SetupQuery,
          response: { 200: setupPageResponses[200], 403: setupPageResponses[403] },
        },
      },
      async (request, reply) => {
        const token = String(request.query.token ?? '');
        if ((await deps.store.operators.count()) > 0 || !sameSecret(token, await setupToken(deps))) return html(reply, 403, setupClosedPage());
        return html(reply, 200, setupPage({ token }));
      },
    );
    app.post<{ Body: Record<string, string> | undefined }>(
      '/dashboard/setup',
      {
        schema: {
          tags: ['dashboard pages'],
          operationId: 'dashboardSetUp',
          summary: 'Create the first operator (form post) and log them in',
          consumes: FORM,
          body: SetUpForm,
          response: setupPageResponses,
        },
      },
      async (request, reply) => {
        const token = String(request.body?.token ?? '');
        if ((await deps.store.operators.count()) > 0 || !sameSecret(token, await setupToken(deps))) return html(reply, 403, setupClosedPage());
        const email = String(request.body?.email ?? '')
          .trim()
          .slice(0, 320);
        const password = String(request.body?.password ?? '');
        if (!/^[^@\s]+@[^@\s]+$/.test(email)) return html(reply, 422, setupPage({ token, email, alert: 'Enter an email address.' }));
        if (password.length < 12 || password.length > 1024) return html(reply, 422, setupPage({ token, email, alert: 'Use a password of 12 characters or more.' }));
        const operator = await createOperator(deps, email, password);
        if (!operator) return html(reply, 403, setupClosedPage());
        return startSession(reply, request, operator);
      },
    );

    await app.register(async (api) => {
      api.decorateRequest('operatorSession', null);
      api.addHook('preHandler', async (request) => {
        // Writes need the session's CSRF token.
        const session = await requireOperatorSession(deps, request, { csrf: request.method !== 'GET' && request.method !== 'HEAD' });
        request.operatorSession = { operatorId: session.operator.id, operatorEmail: session.operator.email, csrfToken: session.csrfToken };
      });
      const lookup = {
        project: async (id: string): Promise<Project> => {
          const project = id.length <= 64 ? await deps.store.projects.findById(id) : null;
          if (!project) throw new AppError('PROJECT_NOT_FOUND', `No project ${id}`);
          return project;
        },
      };
      await api.register(dashboardApiRoutes(deps, lookup));
      await api.register(dashboardLinkRoutes(deps, lookup));
      await api.register(dashboardOperatorRoutes(deps));
    });

    // The SPA: its files, and index.html for every page path (the SPA routes), after a session check.
    app.get<{ Params: { '*': string } }>(
      '/dashboard/*',
      { schema: { hide: true, summary: 'The dashboard app: its files, and its page for every other path once logged in' } },
      async (request, reply) => {
        const path = request.params['*'] ?? '';
        if (path.startsWith('api/')) throw new AppError('NOT_FOUND', `No route GET ${request.url.split('?')[0]}`);
        if (!options.assetsDir) return html(reply, 503, '<!doctype html><p>The dashboard is not built: run <code>npm run build</code>.</p>');
        if (path.startsWith('assets/')) {
          const file = normalize(join(options.assetsDir, path));
          if (!file.startsWith(options.assetsDir) || !existsSync(file)) throw new AppError('NOT_FOUND', 'No such file');
          return reply
            .headers({ 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'public, max-age=31536000, immutable' })
            .send(readFileSync(file));
        }
        if (!(await sessionOf(deps, request.cookies[SESSION_COOKIE]))) return reply.code(303).header('location', '/dashboard/login').send();
        return html(reply, 200, readFileSync(join(options.assetsDir, 'index.html'), 'utf8'));
      },
    );
    app.get('/dashboard', { schema: { tags: ['dashboard pages'], operationId: 'dashboardRedirectToApp', summary: 'Redirects to /dashboard/' } }, async (_request, reply) =>
      reply.code(308).header('location', '/dashboard/').send(),
    );
  };
}
