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
  /** JSON: the project's risk overrides and custom risks (core's RiskOverrides). */
  risk_overrides: Generated<string>;
  /** The project's SMTP settings, sealed by the server (it holds a password), or null: the instance's. */
  mail_settings: string | null;
  /** Days evaluations are kept; null: the instance's VIGIL_RETENTION_DAYS. */
  retention_days: number | null;
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

export interface WebhookEndpointTable {
  id: string;
  project_id: string;
  url: string;
  /** `whsec_…`: kept in the clear because signing needs it; shown once, when set. */
  secret: string;
  /** JSON array of the event types it is sent. */
  events: string;
  created_at: number;
}

export interface WebhookDeliveryTable {
  id: string;
  project_id: string;
  /** The endpoint it goes to (null only for rows of before several endpoints, none left). */
  endpoint_id: string | null;
  event_type: string;
  payload: string;
  attempts: Generated<number>;
  next_attempt_at: number | null;
  delivered_at: number | null;
  last_error: string | null;
  created_at: number;
}

export interface ChallengeCodeTable {
  challenge_id: string;
  channel: string;
  destination: string;
  code_hash: string;
  attempts: Generated<number>;
  sends: Generated<number>;
  last_sent_at: number;
  expires_at: number;
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
  /** JSON object the application sent with POST /v3/user/{id}/update. */
  metadata: Generated<string>;
  /** JSON array of groups (seats of a B2B plan). */
  groups: Generated<string>;
  first_seen_at: number;
  last_seen_at: number;
  /** JSON: the user's familiar set (`FamiliarityProfile` of @vigil/core), learned from trusted logins. */
  familiarity: string | null;
}

export interface DeviceTable {
  id: string;
  project_id: string;
  /** The first-party device identifier the browser keeps (the `vigil_did` cookie). */
  cookie_id: string;
  user_agent: string | null;
  /** computer, tablet, mobile or other, when intel could tell. */
  device_class: string | null;
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
  /** Where the device last was for this user (people counts compare devices' places). */
  last_latitude: number | null;
  last_longitude: number | null;
  last_accuracy_km: number | null;
  last_geo_precision: string | null;
  /** Set when a device-limit challenge logged the device out; cleared when its SDK was told. */
  logged_out_at: number | null;
  /** 1 until the logged-out device has been told (at its next evaluation). */
  logout_pending: Generated<number>;
  logout_url: string | null;
}
export interface UserFingerprintTable extends SightingColumns {
  fingerprint_id: string;
  /** The device this user last used with this fingerprint (re-links a device whose cookie was cleared). */
  last_device_id: Generated<string | null>;
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
  /** Where the IP was (when intel knew): impossible travel compares an evaluation with its neighbours. */
  latitude: number | null;
  longitude: number | null;
  accuracy_km: number | null;
  geo_precision: string | null;
  country: string | null;
  ip_type: string | null;
  /** JSON: what intel said of the IP (lists, type, place), as the evaluation shows it. */
  ip_info: string | null;
  /** Risks above low as ` ato:high bot:medium ` (risk-flags.ts), for the dashboard's risk filter. */
  risk_flags: string | null;
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

/** Two of a user's devices once active together from places too far apart for one person. */
export interface DeviceConflictTable {
  project_id: string;
  user_id: string;
  /** The pair in id order, so a conflict is stored once. */
  device_a: string;
  device_b: string;
  first_seen_at: number;
}

export interface ProjectOriginTable {
  project_id: string;
  origin: string;
  first_seen_at: number;
  last_seen_at: number;
}

export interface PolicyTable {
  id: string;
  project_id: string;
  environment: string;
  name: string;
  /** JSON array of action names. */
  events: string;
  priority: number;
  enabled: number;
  conditions: string;
  action: string;
  version: number;
  created_at: number;
  updated_at: number;
  /** Deleted policies keep their versions (evaluations refer to them). */
  deleted_at: number | null;
}

export interface PolicyVersionTable {
  policy_id: string;
  version: number;
  /** JSON of the whole policy as it was at this version. */
  body: string;
  created_at: number;
}

export interface ListTable {
  id: string;
  project_id: string;
  name: string;
  type: string;
  created_at: number;
}

export interface ListEntryTable {
  list_id: string;
  value: string;
  expires_at: number | null;
  created_at: number;
}

export interface ChallengeTable {
  id: string;
  project_id: string;
  evaluation_id: string;
  user_id: string;
  device_id: string | null;
  /** The fingerprint its evaluation had (null for challenges whose evaluation was gone before it was kept). */
  fingerprint_id: string | null;
  /** account_takeover, account_sharing, multi_accounting or fake_account. */
  kind: string;
  /** verification or device_limit. */
  method: string;
  /** The policy that opened it (null for challenges from before it was kept). */
  policy_id: string | null;
  channels: string;
  reasons: string;
  /** JSON: device_limit, success_url, logout_url. */
  config: string;
  status: string;
  /** The user's contact when the challenge opened: the only places its codes may go. */
  email: string | null;
  phone: string | null;
  created_at: number;
  updated_at: number;
}

export interface InstanceSecretTable {
  name: string;
  value: string;
  created_at: number;
}

export interface OperatorTable {
  id: string;
  /** Lowercased. */
  email: string;
  /** scrypt, with its parameters and salt. */
  password_hash: string;
  created_at: number;
  last_login_at: number | null;
}

export interface OperatorSessionTable {
  /** SHA-256 of the session cookie's token. */
  token_hash: string;
  operator_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

/** A running server, as its last heartbeat left it. */
export interface NodeTable {
  id: string;
  name: string;
  started_at: number;
  last_seen_at: number;
  shares_state: number;
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
  device_conflicts: DeviceConflictTable;
  project_origins: ProjectOriginTable;
  policies: PolicyTable;
  policy_versions: PolicyVersionTable;
  lists: ListTable;
  list_entries: ListEntryTable;
  challenges: ChallengeTable;
  challenge_codes: ChallengeCodeTable;
  webhook_endpoints: WebhookEndpointTable;
  webhook_deliveries: WebhookDeliveryTable;
  instance_secrets: InstanceSecretTable;
  operators: OperatorTable;
  operator_sessions: OperatorSessionTable;
  nodes: NodeTable;
}
