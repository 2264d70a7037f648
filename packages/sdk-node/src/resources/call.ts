import type { Call } from '../http.js';

/** Sends one call with the client's key and settings (bound by VigilAPI). */
export type Send = <T>(call: Call) => Promise<T>;

export const get = (path: string): Call => ({ method: 'GET', path, idempotent: true });
export const put = (path: string, body: unknown): Call => ({ method: 'PUT', path, body, idempotent: true });
export const del = (path: string): Call => ({ method: 'DELETE', path, idempotent: true });
/** POSTs that set a state (enable, suspend, add a value) are idempotent; those that create are not. */
export const post = (path: string, body: unknown, idempotent: boolean): Call => ({ method: 'POST', path, ...(body === undefined ? {} : { body }), idempotent });
