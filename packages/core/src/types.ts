// Plain data in, plain data out: the decision core never reads a clock, a database or the network.

import type { FamiliarityProfile, LoginTraits } from './familiarity/profile.js';
import type { LoginTrust } from './familiarity/trust.js';

import type { ChallengeChannel, ChallengeKind, ChallengeMethod, ListValueKind, Operator, Severity, Verdict } from './closed-sets.js';

export type { ChallengeChannel, ChallengeKind, ChallengeMethod, ListValueKind, Operator, Severity, Verdict };

export type CheckValue = boolean | number | string;
/** Checks that could be known for this evaluation. A check that cannot be known is absent, never guessed. */
export type Checks = Record<string, CheckValue>;

/** What became of the one-time nonce the browser SDK presented (client evaluations only). */
export type NonceStatus = 'valid' | 'missing' | 'unknown' | 'consumed' | 'expired' | 'mismatch';

export type DeviceClass = 'computer' | 'tablet' | 'mobile' | 'other';

export interface EvaluationInput {
  action: string;
  /** Where the evaluation came from: the browser SDK (`client`) or the customer's backend (`server`). */
  channel: 'client' | 'server';
  user: { id: string; email?: string | null; phone?: string | null };
  metadata: Record<string, string | number | boolean | null>;
  ip?: string | null;
  userAgent?: string | null;
  fingerprint?: string | null;
  /** The fingerprint's id (`fp_…`), stored or newly allocated: what lists of fingerprints hold. */
  fingerprintId?: string | null;
  /** The device (`dv_…`) this evaluation came from, when one is known. */
  deviceId?: string | null;
  /** The page's origin (client evaluations). */
  origin?: string | null;
  /** Whether the browser presented the first-party device cookie (client evaluations only). */
  hasDeviceCookie?: boolean;
  nonce?: NonceStatus;
  /** What the browser SDK collected, by collector: `{ value, ms }` or `{ error, ms }` (client evaluations). */
  signals?: Record<string, unknown>;
}

/** Where an IP address is, as far as geolocation can tell. */
export interface GeoLocation {
  latitude: number;
  longitude: number;
  /** Radius within which the true place lies, in km. */
  accuracyKm: number;
  /** `country` when only the country is known (its centroid): such a place never proves travel alone. */
  precision: 'city' | 'country';
}

export type IpType = 'tor' | 'vpn' | 'proxy' | 'hosting' | 'relay' | 'crawler' | 'isp' | 'mobile' | 'education' | 'business' | 'residential' | 'unknown';

/** What `intel` knows about the evaluation's IP, email, phone and user agent. Null: nothing known. */
export interface Facts {
  ip: {
    type: IpType;
    /** Every type some list gave the address (an address can be hosting and vpn). */
    types: IpType[];
    asn: number | null;
    country: string | null;
    location: GeoLocation | null;
    /** Age of the oldest list consulted, in days. */
    listAgeDays: number | null;
  } | null;
  email: {
    valid: boolean;
    domain: string | null;
    disposable: boolean;
    webmail: boolean;
    /** Null when DNS was not asked. */
    hasMailExchanger: boolean | null;
    /** Null unless an SMTP probe is configured. */
    acceptAll: boolean | null;
  } | null;
  phone: { valid: boolean; country: string | null; type: string | null } | null;
  userAgent: { deviceClass: DeviceClass | null; browser: string | null; os: string | null; isBot: boolean } | null;
}

export const noFacts: Facts = { ip: null, email: null, phone: null, userAgent: null };

/** One of the user's earlier (or, for an out-of-order arrival, later) evaluations that had a place. */
export interface LocatedEvaluation {
  at: number;
  location: GeoLocation;
  country: string | null;
  /** The IP was a relay (iCloud Private Relay and the like): its place is the relay's, not the user's. */
  relay: boolean;
  deviceId: string | null;
}

/** One of the user's devices and what it last did (devices seen within the retention window). */
export interface DeviceActivity {
  deviceId: string;
  deviceClass: DeviceClass | null;
  firstSeenAt: number;
  lastSeenAt: number;
  lastLocation: GeoLocation | null;
}

/** The user's state as stored. */
export interface UserState {
  firstSeenAt: number;
  emailVerified: boolean;
  phoneVerified: boolean;
  suspended: boolean;
}

/** Whether a value of this evaluation is in one of the project's lists. */
export interface ListMembership {
  name: string;
  type: ListValueKind | 'cidr';
  matched: boolean;
}

/**
 * Everything `store` knows that the checks need, loaded before the decision, as of `now`. Times are ms
 * since the epoch; only history within the retention window is included. Counts that could not be
 * loaded are null (their checks are then absent).
 */
export interface HistorySnapshot {
  user: UserState | null;
  ipLastSeenAt: number | null;
  fingerprintLastSeenAt: number | null;
  deviceLastSeenAt: number | null;
  /**
   * The user's place just before `now`: their last trusted login's (the familiar set's), or, for a user
   * with no familiar set yet, their last located evaluation. And the located evaluation just after `now`
   * (only for out-of-order arrivals).
   */
  locatedBefore: LocatedEvaluation | null;
  locatedAfter: LocatedEvaluation | null;
  /** The user's devices, other than this evaluation's, with their last activity. */
  devices: DeviceActivity[];
  /** When this device's earlier evaluations for this user happened in the last 24 hours, newest first. */
  deviceRecentActivity: number[];
  /** Pairs of the user's devices once seen active together from places too far apart for one person. */
  deviceConflicts: [string, string][];
  /** Distinct users, this one included, seen with this fingerprint / device / IP. */
  fingerprintUserCount: number | null;
  deviceUserCount: number | null;
  ipUserCount: number | null;
  /** When the project last saw this origin, before now. */
  originLastSeenAt: number | null;
  failedChallengesLastDay: number | null;
  /** Counts for the `event_count` conditions of the policies, keyed by `eventCountKey(params)`. */
  eventCounts: Record<string, number>;
  /** Verifications this user passed on this device (within the longest suppression), newest first. */
  passedChallenges: PassedChallenge[];
  lists: ListMembership[];
  /** What the user's trusted logins looked like (null: none learned yet). */
  familiarity: FamiliarityProfile | null;
}

export interface PassedChallenge {
  id: string;
  method: ChallengeMethod;
  /** The policy that opened it (null when not known). */
  policyId: string | null;
  /** The reasons it was opened for. */
  reasons: string[];
  passedAt: number;
}

export const emptyHistory: HistorySnapshot = {
  user: null,
  ipLastSeenAt: null,
  fingerprintLastSeenAt: null,
  deviceLastSeenAt: null,
  locatedBefore: null,
  locatedAfter: null,
  devices: [],
  deviceRecentActivity: [],
  deviceConflicts: [],
  fingerprintUserCount: null,
  deviceUserCount: null,
  ipUserCount: null,
  originLastSeenAt: null,
  failedChallengesLastDay: null,
  eventCounts: {},
  passedChallenges: [],
  lists: [],
  familiarity: null,
};

export interface DecideOptions {
  /** How far back history counts (default 180 days): an IP last seen before that is new again. */
  retentionMs: number;
  /** How long a device stays "active" for concurrent sessions (default 5 minutes). */
  sessionWindowMs: number;
  /** Window of the device counts (default 30 days). */
  deviceWindowMs: number;
  /** How long an origin stays known (default 90 days). */
  originWindowMs: number;
}

export interface RiskContribution {
  check: string;
  weight: number;
}

export interface RiskExplanation {
  category: string;
  score: number;
  severity: Severity;
  contributions: RiskContribution[];
}

// ——— Policies (SPEC §6) ———

/** `event_count`'s parameters: how many evaluations (this one included) in the window, by whom. */
export interface EventCountParams {
  /** An action name, or `*` for any action. */
  action: string;
  /** `30s`, `10m`, `1h`, `7d`. */
  window: string;
  by: 'user' | 'ip' | 'fingerprint' | 'device';
}

/**
 * `field`: a check name, `risk:<category>`, `metadata.<key>`, `action`, or `in_list:<list name>`.
 * `params` only for parameterised checks (`event_count`).
 */
export interface ConditionLeaf {
  field: string;
  operator: Operator;
  value?: CheckValue | CheckValue[] | null;
  params?: EventCountParams;
}
export type Condition = ConditionLeaf | { all: Condition[] } | { any: Condition[] } | { not: Condition };

export interface ChallengeConfig {
  type: ChallengeMethod;
  channels?: ChallengeChannel[];
  device_limit?: number;
  success_url?: string;
  logout_url?: string;
  /**
   * Verification: days a passed challenge of the same kind spares this user on the same device
   * (default 30; 0 challenges every time).
   */
  suppress_days?: number;
  /** Verification: the hosted page offers "Skip for now" (the challenge ends `skipped`; your backend decides). */
  allow_skip?: boolean;
}

export type PolicyAction =
  | { type: 'allow' }
  | { type: 'deny' }
  | { type: 'suspend' }
  | { type: 'restrict' }
  | { type: 'challenge' | 'challenge_and_restrict'; challenge: ChallengeConfig }
  | { type: 'add_to_list' | 'remove_from_list'; list: string; value: ListValueKind };

export interface Policy {
  id: string;
  name: string;
  /** The actions it applies to (`login`, `signup`, …); `*` for every action. */
  events: string[];
  /** Lower runs first. */
  priority: number;
  enabled: boolean;
  conditions: Condition;
  action: PolicyAction;
  version: number;
}

/** How one condition fared: held, did not hold, was not evaluated (an earlier sibling settled it), or its field was absent. */
export type TraceStatus = 'matched' | 'not_matched' | 'skipped' | 'unknown';

export interface TraceNode {
  /** `all`, `any`, `not`, or the leaf's field. */
  node: string;
  status: TraceStatus;
  operator?: Operator;
  expected?: CheckValue | CheckValue[] | null;
  /** The value the field had (leaves only; absent when the field was). */
  actual?: CheckValue | null;
  children?: TraceNode[];
}

export interface PolicyExplanation {
  id: string;
  name: string;
  version: number;
  action: PolicyAction;
  trace: TraceNode;
  /** The policy challenged, but this device passed the same challenge recently: allowed instead. */
  suppressed_by?: { challenge: string; passed_at: number };
}

// ——— Effects and the decision ———

/** What the caller applies in the same transaction as the evaluation. */
export type Effect =
  | { type: 'suspend_user' }
  | { type: 'add_to_list'; list: string; kind: ListValueKind; value: string }
  | { type: 'remove_from_list'; list: string; kind: ListValueKind; value: string }
  | { type: 'open_challenge'; policy: string; challenge: ChallengeConfig & { kind: ChallengeKind; reasons: string[] } }
  | { type: 'record_device_conflict'; devices: [string, string] }
  /**
   * What the user's familiar set takes from this login: learned when trusted, held apart when pending or
   * suspect (until consumed or verified), nothing when untrusted (see `loginTrust`). Retention bounds
   * what it keeps.
   */
  | { type: 'observe_login'; trust: LoginTrust; traits: LoginTraits; place: LocatedEvaluation | null; retentionMs: number };

export interface Explanation {
  checks: Checks;
  reasons: string[];
  risks: RiskExplanation[];
  policy: PolicyExplanation | null;
}

export interface Decision {
  verdict: Verdict;
  effects: Effect[];
  explanation: Explanation;
}
