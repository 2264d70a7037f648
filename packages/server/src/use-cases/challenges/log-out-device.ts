import type { ChallengeRecord } from '@vigil/store';
import { AppError } from '../../errors/codes.js';
import { accountOf, emitWebhook } from '../../webhooks/events.js';
import type { Deps } from '../deps.js';
import { announceChallenge } from './announce.js';
import { guardChallenge } from './guard.js';

/** Devices seen within this long count as in use (the device-count checks' window). */
export const ACTIVE_DEVICE_MS = 30 * 86_400_000;

export function deviceLimitOf(challenge: ChallengeRecord): number {
  const limit = challenge.config.device_limit;
  return typeof limit === 'number' && limit >= 1 ? limit : 1;
}

/** The account's devices in use: seen within 30 days and not logged out. */
export async function activeDevices(deps: Deps, challenge: ChallengeRecord) {
  const since = deps.now() - ACTIVE_DEVICE_MS;
  return (await deps.store.users.devices(challenge.userId)).filter((d) => !d.loggedOut && d.lastSeenAt >= since);
}

/**
 * A device-limit challenge: logs one of the account's other devices out (its next evaluation tells its
 * SDK, and sends it to the policy's `logout_url`); once the devices in use are within the limit, the
 * challenge completes.
 */
export async function logOutDevice(deps: Deps, challenge: ChallengeRecord, deviceId: string): Promise<{ completed: boolean }> {
  await guardChallenge(deps, challenge);
  if (challenge.method !== 'device_limit' || challenge.status === 'completed' || challenge.status === 'failed' || challenge.status === 'overridden') {
    throw new AppError('CHALLENGE_CLOSED', `This challenge is ${challenge.status}`);
  }
  const devices = await activeDevices(deps, challenge);
  if (!devices.some((d) => d.id === deviceId && d.id !== challenge.deviceId)) throw new AppError('VALIDATION_ERROR', 'That device cannot be logged out from here');
  const logoutUrl = typeof challenge.config.logout_url === 'string' ? challenge.config.logout_url : null;
  await deps.store.users.logOutDevice(challenge.userId, deviceId, logoutUrl, deps.now());
  const account = accountOf(await deps.store.users.externalIdOf(challenge.userId));
  await emitWebhook(deps, challenge.projectId, 'device.logged_out', { data: { user: account, device: deviceId, challenge: challenge.id, logout_url: logoutUrl }, account });
  if (devices.length - 1 > deviceLimitOf(challenge)) return { completed: false };
  const moved = await deps.store.challenges.move(challenge.id, 'completed', deps.now());
  if (moved) await announceChallenge(deps, challenge.id, 'challenge.completed');
  return { completed: true };
}
