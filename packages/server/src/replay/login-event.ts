/** One login of a replayed or imported stream, as its line says it. */
export interface LoginEvent {
  /** The line's id, echoed in its output as given (an integer or a string). */
  i: number | string;
  /** ms since the epoch, from the line's ISO `ts`. */
  at: number;
  user: string;
  ip: string | null;
  ua: string | null;
  /** What the customer's system made of it, when the line says (import only). */
  outcome?: string | null;
}

export class LoginEventError extends Error {}

const MAX_FIELD = 2048;

function optionalText(value: unknown, name: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || value.length > MAX_FIELD) throw new LoginEventError(`"${name}" must be a string of at most ${MAX_FIELD} characters`);
  return value;
}

/**
 * A login from its fields: `user` (required; a string, or an integer), `ts` (an ISO 8601 time with its
 * zone, or ms since the epoch), `ip`, `ua` (optional), `i` (echoed as given; defaults to the line's
 * position), `outcome` (optional).
 */
export function loginEventOf(fields: Record<string, unknown>, position: number): LoginEvent {
  // A user id may come as a number (a database key): it is the same user as its decimal string.
  const user = typeof fields.user === 'number' && Number.isSafeInteger(fields.user) ? String(fields.user) : fields.user;
  if (typeof user !== 'string' || user === '' || user.length > 256) throw new LoginEventError('"user" must be a non-empty string of at most 256 characters (or an integer)');
  const ts = fields.ts;
  const at = typeof ts === 'number' ? ts : typeof ts === 'string' && /\d{4}-\d{2}-\d{2}T/.test(ts) ? Date.parse(ts) : Number.NaN;
  if (!Number.isFinite(at)) throw new LoginEventError('"ts" must be an ISO 8601 time such as 2026-03-01T08:15:00Z (or ms since the epoch)');
  const i = fields.i ?? position;
  if (!(typeof i === 'number' && Number.isSafeInteger(i)) && !(typeof i === 'string' && i.length <= 256)) throw new LoginEventError('"i" must be an integer or a string');
  const outcome = optionalText(fields.outcome, 'outcome');
  return { i, at, user, ip: optionalText(fields.ip, 'ip'), ua: optionalText(fields.ua, 'ua'), ...(outcome === null ? {} : { outcome }) };
}

/** A JSON line as a login. */
export function parseLoginLine(line: string, position: number): LoginEvent {
  let fields: unknown;
  try {
    fields = JSON.parse(line);
  } catch {
    throw new LoginEventError('not a JSON object');
  }
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw new LoginEventError('not a JSON object');
  return loginEventOf(fields as Record<string, unknown>, position);
}
