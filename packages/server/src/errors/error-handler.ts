import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode, errorStatus } from './codes.js';
import { RateLimitedError } from '../rate-limits/index.js';
import { unavailableDependency } from '../cluster/unavailable.js';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; request_id: string };
}

function send(reply: FastifyReply, request: FastifyRequest, code: ErrorCode, message: string) {
  const body: ErrorBody = { error: { code, message, request_id: String(request.id) } };
  return reply.status(errorStatus[code]).type('application/json; charset=utf-8').send(body);
}

/** Fastify's own errors (parsing, validation, limits) mapped onto our codes. */
function fromFastify(error: FastifyError): { code: ErrorCode; message: string } | null {
  if (error.validation) {
    const where = error.validationContext ?? 'body';
    const detail = error.validation[0];
    const path = detail?.instancePath ? `${where}${detail.instancePath.replaceAll('/', '.')}` : where;
    return { code: 'VALIDATION_ERROR', message: `${path} ${detail?.message ?? 'is invalid'}` };
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than this server accepts' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the body as application/json' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { code: 'MALFORMED_JSON', message: 'The body is empty; send a JSON object' };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { code: 'MALFORMED_JSON', message: 'The body is not valid JSON' };
    // Raised by the router before any route runs (through `frameworkErrors`, see buildApp).
    case 'FST_ERR_BAD_URL':
      return { code: 'BAD_REQUEST', message: 'The URL path is not valid percent-encoding' };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return { code: 'BAD_REQUEST', message: 'A URL path segment is longer than this server accepts' };
  }
  if (error instanceof SyntaxError) return { code: 'MALFORMED_JSON', message: 'The body is not valid JSON' };
  if (error.statusCode === 413) return { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than this server accepts' };
  if (error.statusCode === 415) return { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the body as application/json' };
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return { code: 'BAD_REQUEST', message: 'The request could not be read' };
  }
  return null;
}

/**
 * Any error, answered in our envelope. Both the error handler and Fastify's `frameworkErrors` (errors
 * the router raises before a route or its error handler exists: a malformed URL) answer through here,
 * so no 4xx or 5xx ever has Fastify's own shape.
 */
export function replyWithError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  // Past a rate limit the client is told when to come back (RFC 9110 §10.2.3: whole seconds).
  if (error instanceof RateLimitedError) reply.header('retry-after', String(error.retryAfterSeconds));
  if (error instanceof AppError) return send(reply, request, error.code, error.message);
  const known = fromFastify(error);
  if (known) return send(reply, request, known.code, known.message);
  // A dependency that cannot be reached is not a bug: 503 with a retry time, and one warning line (the
  // node logs the outage itself, once, when it starts and ends).
  const down = unavailableDependency(error);
  if (down) {
    request.log.warn({ dependency: down, error: error.message }, 'dependency unavailable');
    reply.header('retry-after', '1');
    return send(reply, request, 'UNAVAILABLE', `${down === 'redis' ? 'Redis' : 'The database'} cannot be reached right now; nothing was recorded, retry shortly`);
  }
  // Unexpected: log it (the request serializer never includes headers, so no secret reaches the log).
  request.log.error({ err: error }, 'unexpected error');
  return send(reply, request, 'INTERNAL_ERROR', 'Something went wrong on our side');
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(replyWithError);
  app.setNotFoundHandler((request, reply) => send(reply, request, 'NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`));
}
