// The dashboard API, and nothing else: same origin, the session cookie, and the CSRF header on writes.
// The server API's shapes, generated from its OpenAPI document into @vigil/api (npm run docs).
import type { paths } from '@vigil/api/api-types';

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
/**
 * What a server API route answers on success (200 or 201), from the types generated from the server's
 * OpenAPI document: `Reply<'/v3/users/{id}', 'get'>`.
 */
export type Reply<P extends keyof paths, M extends 'get' | 'post' | 'put' | 'delete'> = paths[P][M] extends { responses: infer R }
  ? JsonOf<R extends { 200: infer A } ? A : R extends { 201: infer B } ? B : never>
  : never;
let csrf = '';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  return call<T>(`/dashboard/api${path}`, init, {});
}

/** The server API (/v3), as the logged-in operator for one project: the same routes a backend calls. */
export function v3<T>(projectId: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  return call<T>(`/v3${path}`, init, { 'x-vigil-project': projectId });
}

async function call<T>(url: string, init: { method?: string; body?: unknown }, extra: Record<string, string>): Promise<T> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    credentials: 'same-origin',
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), 'x-vigil-csrf': csrf, ...extra },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  if (res.status === 401) {
    location.assign('/dashboard/login');
    throw new ApiError('NOT_LOGGED_IN', 'Logged out', 401);
  }
  const body = res.status === 204 ? null : await res.json();
  if (!res.ok) throw new ApiError(body?.error?.code ?? 'ERROR', body?.error?.message ?? `HTTP ${res.status}`, res.status);
  return body as T;
}

export type Session = Reply<'/dashboard/api/session', 'get'>;

export async function loadSession(): Promise<Session> {
  const session = await api<Session>('/session');
  csrf = session.csrf;
  return session;
}

export type EvaluationRow = Reply<'/dashboard/api/projects/{project}/evaluations', 'get'>['data'][number];

export type Overview = Reply<'/dashboard/api/projects/{project}/overview', 'get'>;
