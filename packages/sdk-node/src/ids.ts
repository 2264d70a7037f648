import { VigilError } from './errors.js';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A Vigil id as a path segment. Ids may come from a browser, which an attacker controls: anything that is
 * not an id is refused before any request rather than let `../` or `?` reach another route.
 */
export function idSegment(id: unknown, what: string): string {
  if (typeof id !== 'string' || !ID.test(id)) throw new VigilError('INVALID_ARGUMENT', `Not ${what}`);
  return encodeURIComponent(id);
}

/** The application's own user id (any text up to 256 characters), as a path segment. */
export function userSegment(id: unknown): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > 256) throw new VigilError('INVALID_ARGUMENT', 'A user id is 1 to 256 characters');
  return encodeURIComponent(id);
}

/** A list entry value (up to 320 characters), as a path segment. */
export function valueSegment(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 320) throw new VigilError('INVALID_ARGUMENT', 'A list value is 1 to 320 characters');
  return encodeURIComponent(value);
}
