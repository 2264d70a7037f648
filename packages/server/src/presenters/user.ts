import type { UserDevice, UserRecord } from '@vigil/store';
import { iso } from './time.js';

export const presentUser = (u: UserRecord) => ({
  id: u.externalId,
  object: 'user' as const,
  vigil_id: u.id,
  email: u.email,
  phone: u.phone,
  is_email_verified: u.emailVerified,
  is_phone_verified: u.phoneVerified,
  is_suspended: u.suspended,
  metadata: u.metadata,
  groups: u.groups,
  first_seen_at: iso(u.firstSeenAt),
  last_seen_at: iso(u.lastSeenAt),
});
export const presentDevice = (d: UserDevice) => ({
  id: d.id,
  object: 'device' as const,
  device_class: d.deviceClass,
  user_agent: d.userAgent,
  first_seen_at: iso(d.firstSeenAt),
  last_seen_at: iso(d.lastSeenAt),
  logged_out_at: d.loggedOutAt === null ? null : iso(d.loggedOutAt),
});
