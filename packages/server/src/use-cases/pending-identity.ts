import { createHash } from 'node:crypto';
import { normalizeListValue } from '@vigil/core';
import { AppError } from '../errors/codes.js';

// A signup happens before the account has an id (Rupt: "the signup user has no ID yet"). Its evaluation
// keys the new identity by its email, else its phone, under a name no application id can take (ids
// starting with `~` are refused). The backend gives it its own id when it consumes the evaluation
// (`{ user }`), and the history follows: it is kept by Vigil's user, only the name changes.
//
// From a browser, the identity is also the browser's own (its device cookie, else its fingerprint):
// anyone can type someone else's address into a signup form, and a device that did so must not become
// a known device of the account the real owner makes later. Retries from one browser are one identity.

const PREFIX = '~';

export const isPendingIdentity = (externalId: string): boolean => externalId.startsWith(PREFIX);

/** The user an evaluation is about: the application's id, or for a signup without one, its pending identity. */
export function evaluatedUser(action: string, user: string | undefined, contact: { email: string | null; phone: string | null }, browser: string | null = null): string {
  if (user !== undefined) return user;
  if (action !== 'signup') throw new AppError('VALIDATION_ERROR', `body.user is required: only a signup may come before the user has an id`);
  // The browser's identifier hashed: a name that shows in user lists must not carry a cookie's value.
  const from = browser === null ? '' : `/${createHash('sha256').update(browser).digest('base64url').slice(0, 16)}`;
  const byEmail = contact.email === null ? null : normalizeListValue('email', contact.email);
  if (byEmail) return `${PREFIX}email:${byEmail}${from}`;
  const byPhone = contact.phone === null ? null : normalizeListValue('phone', contact.phone);
  if (byPhone) return `${PREFIX}phone:${byPhone}${from}`;
  throw new AppError('VALIDATION_ERROR', 'A signup without body.user needs body.email or body.phone: the new identity is known by one of them until your backend gives it its id');
}
