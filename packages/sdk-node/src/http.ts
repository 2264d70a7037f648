import { VigilError } from './errors.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface HttpOptions {
  baseUrl: string;
  timeoutMs: number;
  fetch: typeof globalThis.fetch;
  /** Extra attempts after a failure worth retrying (default 2). */
  retries: number;
  /** First backoff delay; doubles each attempt, with full jitter, capped at 2 s. */
  retryDelayMs: number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
}

export interface Call {
  method: Method;
  path: string;
  body?: unknown;
  /**
   * Whether sending it twice is harmless. A call that is not (consume, create an evaluation) is retried
   * only when the connection was refused, i.e. when it cannot have reached the server.
   */
  idempotent: boolean;
}

const MAX_DELAY_MS = 2_000;

/** The failure of one attempt, and whether another attempt may help. */
class AttemptError extends Error {
  constructor(
    readonly error: VigilError,
    readonly retry: 'never' | 'idempotent' | 'always',
    readonly retryAfterMs: number | null = null,
  ) {
    super(error.message);
  }
}

async function attempt<T>(secret: string, options: HttpOptions, call: Call): Promise<T> {
  const { method, path, body } = call;
  let response: Response;
  try {
    response = await options.fetch(`${options.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${secret}`,
        accept: 'application/json',
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    const name = (error as Error)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new AttemptError(new VigilError('TIMEOUT', `Vigil did not answer ${method} ${path} within ${options.timeoutMs} ms`), 'idempotent');
    }
    const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
    const refused = cause?.code === 'ECONNREFUSED';
    const err = new VigilError('NETWORK_ERROR', `Could not reach Vigil at ${options.baseUrl}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    // Refused: nothing reached the server, so even a call that is not idempotent may go again.
    throw new AttemptError(err, refused ? 'always' : 'idempotent');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text().catch(() => '');
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    const err = new VigilError('BAD_RESPONSE', `Vigil answered ${method} ${path} with ${response.status} and no JSON body`, response.status);
    throw new AttemptError(err, response.status >= 500 ? 'idempotent' : 'never');
  }
  if (!response.ok) {
    const e = (payload as { error?: { code?: unknown; message?: unknown; request_id?: unknown } } | null)?.error;
    const err = new VigilError(
      typeof e?.code === 'string' ? e.code : 'BAD_RESPONSE',
      typeof e?.message === 'string' ? e.message : `Vigil answered ${method} ${path} with ${response.status}`,
      response.status,
      typeof e?.request_id === 'string' ? e.request_id : null,
    );
    const retryAfter = Number(response.headers.get('retry-after'));
    // 429: the server asked to come back later, so nothing was done. 5xx: maybe something was.
    if (response.status === 429) throw new AttemptError(err, 'always', Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null);
    throw new AttemptError(err, response.status >= 500 ? 'idempotent' : 'never');
  }
  return payload as T;
}

/** One authenticated JSON call, retried with exponential backoff and jitter when that is safe. */
export async function request<T>(secret: string, options: HttpOptions, call: Call): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await attempt<T>(secret, options, call);
    } catch (failure) {
      if (!(failure instanceof AttemptError)) throw failure;
      const mayRetry = failure.retry === 'always' || (failure.retry === 'idempotent' && call.idempotent);
      if (!mayRetry || tries >= options.retries) throw failure.error;
      const backoff = Math.min(MAX_DELAY_MS, options.retryDelayMs * 2 ** tries) * options.random();
      await options.sleep(failure.retryAfterMs ?? backoff);
    }
  }
}
