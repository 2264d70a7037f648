import { userSegment } from '../ids.js';
import type { Device, User } from '../types.js';
import { get, post, type Send } from './call.js';

export function users(send: Send) {
  return {
    get: async (userId: string) => send<User>(get(`/v3/users/${userSegment(userId)}`)),
    suspend: async (userId: string) => send<User>(post(`/v3/users/${userSegment(userId)}/suspend`, undefined, true)),
    unsuspend: async (userId: string) => send<User>(post(`/v3/users/${userSegment(userId)}/unsuspend`, undefined, true)),
    /** `GET /v3/user/{id}/devices` (the Rupt name). */
    devices: async (userId: string) => (await send<{ data: Device[] }>(get(`/v3/user/${userSegment(userId)}/devices`))).data,
    /** Only the fields given change (`POST /v3/user/{id}/update`, the Rupt name). */
    update: async (userId: string, changes: { email?: string | null; phone?: string | null; metadata?: Record<string, string | number | boolean | null>; groups?: string[] }) =>
      send<void>(post(`/v3/user/${userSegment(userId)}/update`, changes, true)),
  };
}
