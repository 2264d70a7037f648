// The shapes of the Vigil server API (docs/api.md), as your backend receives them.

export type Verdict = 'allow' | 'deny' | 'challenge' | 'suspend' | 'add_to_list' | 'remove_from_list' | 'restrict' | 'challenge_and_restrict';
export type Severity = 'low' | 'medium' | 'high' | 'maximum';
export type MetadataValue = string | number | boolean | null;

export interface Challenge {
  id: string;
  status: string;
  [field: string]: unknown;
}

export interface Risk {
  category: string;
  score: number;
  severity: Severity;
  contributions: { check: string; weight: number }[];
}

export interface Evaluation {
  id: string;
  object: 'evaluation';
  project: string;
  environment: string;
  action: string;
  verdict: Verdict;
  /** `id` is null for a signup made before the account had one, until your backend gives it on consume. */
  user: { vigil_id: string; rupt_id: string; id: string | null; email: string | null; phone: string | null };
  person: string | null;
  device: string | null;
  fingerprint: string | null;
  ip: string | null;
  ip_info: Record<string, unknown> | null;
  user_agent: string | null;
  origin: string | null;
  metadata: Record<string, MetadataValue>;
  policy: Record<string, unknown> | null;
  challenge: Challenge | null;
  redirect: string | null;
  risk_summary: { category: string; severity: Severity }[];
  risks: Risk[];
  checks: Record<string, boolean | number | string>;
  reasons: string[];
  consumed: boolean;
  consumed_at: string | null;
  createdAt: string;
  updatedAt: string;
}

/** `POST /v3/evaluations`: an evaluation made by your backend (the server-side flow). */
export interface CreateEvaluation {
  action: string;
  /** Your id of the user; a `signup` may leave it out (then `email` or `phone`) and give it on consume. */
  user?: string;
  email?: string | null;
  phone?: string | null;
  /** The user's IP address as your backend saw it. */
  ip?: string;
  user_agent?: string;
  /** From `Vigil.getHash()` in the page, passed on as it came: the hash, or Rupt v2's `[current, last]`. */
  fingerprint?: string | [string | null] | [string | null, string | null];
  metadata?: Record<string, MetadataValue>;
}

// ——— Policies, lists, users, checks, risks, challenges ———

export type Operator = 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'not_in' | 'contains' | 'exists' | 'not_exists';
export interface ConditionLeaf {
  field: string;
  operator: Operator;
  value?: string | number | boolean | (string | number | boolean)[];
  params?: { action: string; window: string; by: 'user' | 'ip' | 'fingerprint' | 'device' };
}
export type Condition = ConditionLeaf | { all: Condition[] } | { any: Condition[] } | { not: Condition };
export type ListValueKind = 'user' | 'email' | 'email_domain' | 'ip' | 'fingerprint' | 'device' | 'phone' | 'country';
export type PolicyAction =
  | { type: 'allow' | 'deny' | 'suspend' | 'restrict' }
  | {
      type: 'challenge' | 'challenge_and_restrict';
      challenge: { type: 'verification' | 'device_limit'; channels?: ('email' | 'sms')[]; device_limit?: number; success_url?: string; logout_url?: string; suppress_days?: number; allow_skip?: boolean };
    }
  | { type: 'add_to_list' | 'remove_from_list'; list: string; value: ListValueKind };

export interface PolicyInput {
  name: string;
  /** Actions it applies to (`login`, …), or `*`. */
  events: string[];
  /** Lower runs first. */
  priority: number;
  enabled?: boolean;
  conditions: Condition;
  action: PolicyAction;
}

export interface Policy extends Required<PolicyInput> {
  id: string;
  object: 'policy';
  environment: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface PolicyVersion {
  version: number;
  policy: PolicyInput;
  createdAt: string;
}

export interface PolicyTestResult {
  evaluated: number;
  matched: number;
  changed: number;
  samples: string[];
}

export type ListType = ListValueKind | 'cidr';
export interface List {
  id: string;
  object: 'list_definition';
  name: string;
  type: ListType;
  entries: number;
  createdAt: string;
}
export interface ListEntry {
  value: string;
  expires_at: string | null;
  createdAt: string;
}

export interface User {
  id: string;
  object: 'user';
  vigil_id: string;
  email: string | null;
  phone: string | null;
  is_email_verified: boolean;
  is_phone_verified: boolean;
  is_suspended: boolean;
  metadata: Record<string, unknown>;
  groups: string[];
  first_seen_at: string;
  last_seen_at: string;
}

export interface Device {
  id: string;
  object: 'device';
  device_class: string | null;
  user_agent: string | null;
  first_seen_at: string;
  last_seen_at: string;
}

export interface CheckDefinition {
  name: string;
  family: string;
  type: 'boolean' | 'number' | 'string';
  description: string;
  unit?: string;
  params?: string;
}

export interface ChallengeRecord {
  id: string;
  object: 'challenge';
  evaluation: string;
  type: string;
  method: string;
  channels: string[];
  reasons: string[];
  status: string;
  device_limit?: number;
  success_url?: string;
  logout_url?: string;
  createdAt: string;
  updatedAt: string;
}
