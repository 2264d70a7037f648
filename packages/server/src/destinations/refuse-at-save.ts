import { AppError } from '../errors/codes.js';
import { type Lookup, resolveDestination } from './resolve.js';

/**
 * Refuses, when a project saves it, a destination host that resolves to an address Vigil will not
 * connect to on its behalf (DESTINATION_NOT_ALLOWED), so the mistake or the attempt is answered at once.
 * This is the early answer, not the guard: every send resolves and checks again, and connects to what
 * it checked. A name that does not resolve (yet) is accepted for that reason: there is nothing to
 * connect to now, and the send refuses it if it later resolves somewhere forbidden. The answer never
 * says which addresses the name has: that would map the server's own network for whoever asks.
 */
export async function refuseForbiddenDestination(field: string, host: string, options: { allowPrivate: boolean; lookup?: Lookup }): Promise<void> {
  const resolution = await resolveDestination(host, options);
  if (!resolution.ok && resolution.reason === 'not_allowed') {
    throw new AppError(
      'DESTINATION_NOT_ALLOWED',
      `${field}: ${host} is, or resolves to, a loopback, private, link-local, reserved or metadata address, which this server does not connect to for a project`,
    );
  }
}
