import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Operator } from '@vigil/store';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors/codes.js';
import type { Deps } from '../use-cases/deps.js';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password.js';

export const SESSION_COOKIE = 'vigil_session';
export const SESSION_TTL_MS = 12 * 3_600_000;
const SETUP_SECRET = 'operator_setup';

const tokenHash = (token: string) => createHash('sha256').update(token).digest('base64url');

/** Checks an operator's email and password; the same work whether or not the email is known. */
export async function authenticateOperator(deps: Deps, email: string, password: string): Promise<Operator | null> {
  const operator = await deps.store.operators.findByEmail(email);
  const ok = await verifyPassword(password, operator?.passwordHash ?? DUMMY_HASH);
  return operator && ok ? operator : null;
}

/** Opens a session: the cookie's token (only its hash is stored) and the CSRF token the SPA sends back. */
export async function openSession(deps: Deps, operator: Operator): Promise<{ token: string; expiresAt: number }> {
  const token = randomBytes(32).toString('base64url');
  const now = deps.now();
  const expiresAt = now + SESSION_TTL_MS;
  await deps.store.operators.openSession({ operatorId: operator.id, tokenHash: tokenHash(token), csrfToken: randomBytes(24).toString('base64url'), now, expiresAt });
  return { token, expiresAt };
}

export async function sessionOf(deps: Deps, token: string | undefined): Promise<{ operator: Operator; csrfToken: string } | null> {
  if (!token || token.length > 100) return null;
  return deps.store.operators.session(tokenHash(token), deps.now());
}

/**
 * The request's operator session, or the error to answer: NOT_LOGGED_IN without a live one, and
 * CSRF_TOKEN_INVALID when `csrf` is asked and `x-vigil-csrf` is not the session's token (a header
 * another site's form or link cannot send).
 */
export async function requireOperatorSession(deps: Deps, request: FastifyRequest, options: { csrf: boolean }): Promise<{ operator: Operator; csrfToken: string }> {
  const session = await sessionOf(deps, request.cookies[SESSION_COOKIE]);
  if (!session) throw new AppError('NOT_LOGGED_IN', 'Log in at /dashboard/login');
  if (options.csrf && !sameSecret(String(request.headers['x-vigil-csrf'] ?? ''), session.csrfToken))
    throw new AppError('CSRF_TOKEN_INVALID', "Send the session's x-vigil-csrf header");
  return session;
}

export async function closeSession(deps: Deps, token: string | undefined): Promise<void> {
  if (token) await deps.store.operators.closeSession(tokenHash(token));
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The setup link's token: good only while there is no operator (so it works once), derived from an
 * installation secret so every node of the database agrees on it.
 */
export async function setupToken(deps: Deps): Promise<string> {
  return createHmac('sha256', await deps.store.instanceSecrets.get(SETUP_SECRET, deps.now()))
    .update('first operator')
    .digest('base64url');
}

export async function createOperator(deps: Deps, email: string, password: string): Promise<Operator | null> {
  return deps.store.operators.create({ email, passwordHash: await hashPassword(password), now: deps.now() });
}

/** At start: the operator from VIGIL_ADMIN_* when there is none, else the setup link to print (or nothing). */
export async function ensureOperator(deps: Deps, url: string): Promise<string | null> {
  if ((await deps.store.operators.count()) > 0) return null;
  if (deps.config.admin) {
    await createOperator(deps, deps.config.admin.email, deps.config.admin.password);
    return null;
  }
  return `Dashboard: no operator yet. Create the first one at ${url}/dashboard/setup?token=${await setupToken(deps)}  (the link works until an operator exists)`;
}
