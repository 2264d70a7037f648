import { parseIp } from '@vigil/intel';
import type { FastifyRequest } from 'fastify';

/**
 * The client's IP in one canonical spelling. `request.ip` already honours X-Forwarded-For only from
 * TRUSTED_PROXIES (Fastify's trustProxy), so a client cannot forge its address with a header.
 */
export function clientIp(request: FastifyRequest): string | null {
  return parseIp(request.ip)?.address ?? null;
}
