import { Type } from 'typebox';
import { Metadata } from './evaluation.js';

export const UserReply = Type.Object({
  id: Type.String({ description: "The application's id for the user" }),
  object: Type.Literal('user'),
  vigil_id: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  is_email_verified: Type.Boolean(),
  is_phone_verified: Type.Boolean(),
  is_suspended: Type.Boolean(),
  metadata: Type.Object({}, { additionalProperties: true }),
  groups: Type.Array(Type.String()),
  first_seen_at: Type.String({ format: 'date-time' }),
  last_seen_at: Type.String({ format: 'date-time' }),
});
export const DeviceReply = Type.Object({
  id: Type.String(),
  object: Type.Literal('device'),
  device_class: Type.Union([Type.String(), Type.Null()]),
  user_agent: Type.Union([Type.String(), Type.Null()]),
  first_seen_at: Type.String({ format: 'date-time' }),
  last_seen_at: Type.String({ format: 'date-time' }),
  /** Set when a device-limit challenge logged this device out; cleared when the device is told so. */
  logged_out_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
// A user's id, or a signup's pending identity (`~email:…`, `~phone:…`) until the backend gives it one.
export const UserParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 330, description: "The application's id of the user, or a signup's pending identity (`~email:…`)" }),
});
const Count = (description: string) => Type.Integer({ minimum: 0, description });
export const ErasureReply = Type.Object(
  {
    object: Type.Literal('user_erasure'),
    id: Type.String({ description: "The application's id for the user, who no longer exists in Vigil" }),
    erased: Type.Object(
      {
        evaluations: Count('Their evaluations'),
        challenges: Count('Their challenges, with the codes sent for them'),
        devices: Count('Devices only they used (a device another user also used stays; only their link to it goes)'),
        fingerprints: Count('Fingerprints only they used (likewise)'),
        sightings: Count('When they were seen with a device, a fingerprint or an IP'),
        device_conflicts: Count('Pairs of their devices seen too far apart for one person (people counts)'),
        list_entries: Count('List entries naming them: their id, email or phone, or a device or fingerprint erased with them (never an email domain, IP or country)'),
        webhook_deliveries: Count('Webhook deliveries (pending or delivered) whose payload names them or one of their challenges'),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export const UpdateUserBody = Type.Object(
  {
    email: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 320 }), Type.Null()])),
    phone: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 32 }), Type.Null()])),
    metadata: Type.Optional(Metadata),
    groups: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 100 })),
  },
  { additionalProperties: false },
);
