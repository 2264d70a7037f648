import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The first-party identifier of one browser: set by Vigil, unreadable by page scripts (HttpOnly). */
export const DEVICE_COOKIE = 'vigil_did';
const MAX_AGE_SECONDS = 400 * 86_400; // the longest lifetime Chromium accepts
const shape = /^[0-9a-f]{32}$/;

/** The device cookie the browser presented, or null when it sent none or something we never issued. */
export function readDeviceCookie(request: FastifyRequest): string | null {
  const value = request.cookies[DEVICE_COOKIE];
  return value !== undefined && shape.test(value) ? value : null;
}

/** The browser's device cookie, issuing (or renewing) it on this reply. */
export function ensureDeviceCookie(request: FastifyRequest, reply: FastifyReply): string {
  const id = readDeviceCookie(request) ?? randomBytes(16).toString('hex');
  reply.setCookie(DEVICE_COOKIE, id, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    maxAge: MAX_AGE_SECONDS,
  });
  return id;
}
