import * as redisErrors from '@redis/client';

/** What a request may find unreachable. */
export type Dependency = 'database' | 'redis';

// node-redis's errors for a connection that is down, closed, or did not answer in time.
const redisUnavailable = [
  redisErrors.ClientOfflineError,
  redisErrors.ClientClosedError,
  redisErrors.SocketClosedUnexpectedlyError,
  redisErrors.ConnectionTimeoutError,
  redisErrors.SocketTimeoutError,
  redisErrors.ReconnectStrategyError,
  redisErrors.TimeoutError,
  redisErrors.TimeoutReadError,
  redisErrors.DisconnectsClientError,
];

// A socket that could not be opened or was cut (pg reports these as Node's own errors).
const socketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// SQLSTATE: connection exceptions (class 08), the server shutting down or starting (57P01–57P03), too
// many connections (53300).
const postgresStates = /^(08...|57P0[123]|53300)$/;
// pg's own words for a connection that ended or could not be had in time.
const postgresMessages = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection closed/i;

/**
 * Which dependency an error says is unreachable, or null when it is some other failure. These answer
 * `503 UNAVAILABLE` (retry shortly) instead of `500`: nothing is wrong with the request or with Vigil,
 * and nothing was recorded (a transaction cut off is rolled back by the database).
 */
export function unavailableDependency(error: unknown): Dependency | null {
  if (!(error instanceof Error)) return null;
  if (redisUnavailable.some((type) => error instanceof type)) return 'redis';
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (socketCodes.has(code) || postgresStates.test(code))) return 'database';
  // SQLite's writer lock held past busy_timeout by another process (the CLI): the file is busy, not broken.
  if (code === 'SQLITE_BUSY') return 'database';
  if (postgresMessages.test(error.message)) return 'database';
  return null;
}
