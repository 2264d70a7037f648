import type { Generated } from 'kysely';

// One schema for SQLite and PostgreSQL. Times are milliseconds since the epoch (bigint in PostgreSQL,
// read back as numbers), flags are 0/1 integers and structured values are JSON text: the same rows and
// the same queries on both dialects, with no per-dialect type mapping to get wrong.

export interface ProjectTable {
  id: string;
  name: string;
  client_id: string;
  /** JSON array of origins (`https://app.example`); empty means any origin may use the client id. */
  allowed_origins: string;
  created_at: number;
  updated_at: number;
}

export interface SecretKeyTable {
  id: string;
  project_id: string;
  environment: string;
  /** SHA-256 of the secret: the secret itself is shown once and never stored. */
  hash: string;
  /** The last four characters, so an operator can tell keys apart. */
  hint: string;
  created_at: number;
  /** When a rotated key stops working (a grace period), or null while it is the current one. */
  expires_at: number | null;
}

export interface UserTable {
  id: string;
  project_id: string;
  external_id: string;
  email: string | null;
  phone: string | null;
  is_email_verified: Generated<number>;
  is_phone_verified: Generated<number>;
  is_suspended: Generated<number>;
  first_seen_at: number;
  last_seen_at: number;
}

export interface DeviceTable {
  id: string;
  project_id: string;
  /** The first-party device identifier the browser keeps (the `vigil_did` cookie). */
  cookie_id: string;
  user_agent: string | null;
  first_seen_at: number;
  last_seen_at: number;
}

export interface FingerprintTable {
  id: string;
  project_id: string;
  hash: string;
  first_seen_at: number;
  last_seen_at: number;
}

/** When a user was first and last seen with a device, a fingerprint or an IP. */
export interface SightingColumns {
  project_id: string;
  user_id: string;
  first_seen_at: number;
  last_seen_at: number;
}
export interface UserDeviceTable extends SightingColumns {
  device_id: string;
}
export interface UserFingerprintTable extends SightingColumns {
  fingerprint_id: string;
}
export interface UserIpTable extends SightingColumns {
  ip: string;
}

export interface EvaluationTable {
  id: string;
  project_id: string;
  environment: string;
  channel: string;
  action: string;
  user_id: string;
  user_external_id: string;
  email: string | null;
  phone: string | null;
  device_id: string | null;
  fingerprint_id: string | null;
  ip: string | null;
  user_agent: string | null;
  origin: string | null;
  metadata: string;
  verdict: string;
  policy: string | null;
  challenge: string | null;
  redirect: string | null;
  risks: string;
  checks: string;
  reasons: string;
  consumed_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface NonceTable {
  /** The nonce itself: single-use and short-lived, so a leak of this table replays nothing for long. */
  nonce: string;
  project_id: string;
  device_cookie_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface Database {
  projects: ProjectTable;
  secret_keys: SecretKeyTable;
  users: UserTable;
  devices: DeviceTable;
  fingerprints: FingerprintTable;
  user_devices: UserDeviceTable;
  user_fingerprints: UserFingerprintTable;
  user_ips: UserIpTable;
  evaluations: EvaluationTable;
  nonces: NonceTable;
}
