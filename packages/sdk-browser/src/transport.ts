import { VigilError } from './errors.js';

/**
 * POSTs JSON to the Vigil server with the first-party device cookie (`credentials: 'include'`) and
 * turns every failure into a VigilError: the server's own `{ error: { code, message } }` when it
 * answered, NETWORK_ERROR when it could not be reached, BAD_RESPONSE when it answered nonsense.
 */
export async function postJson<T>(baseUrl: string, path: string, body: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      credentials: 'include',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new VigilError('NETWORK_ERROR', `Could not reach Vigil at ${baseUrl}: ${(error as Error).message}`);
  }
  let payload: unknown;
  try {
    payload = await response.json();
  } catch {
    throw new VigilError('BAD_RESPONSE', `Vigil answered ${response.status} without a JSON body`, response.status);
  }
  if (!response.ok) {
    const error = (payload as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    const code = typeof error?.code === 'string' ? error.code : 'BAD_RESPONSE';
    const message = typeof error?.message === 'string' ? error.message : `Vigil answered ${response.status}`;
    throw new VigilError(code, message, response.status);
  }
  return payload as T;
}
