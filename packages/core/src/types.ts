// Plain data in, plain data out: the decision core never reads a clock, a database or the network.

export type Verdict = 'allow' | 'deny' | 'challenge' | 'suspend' | 'add_to_list' | 'remove_from_list';

export type CheckValue = boolean | number | string;
/** Checks that could be known for this evaluation. A check that cannot be known is absent, never guessed. */
export type Checks = Record<string, CheckValue>;

/** What became of the one-time nonce the browser SDK presented (client evaluations only). */
export type NonceStatus = 'valid' | 'missing' | 'unknown' | 'consumed' | 'expired' | 'mismatch';

export interface EvaluationInput {
  action: string;
  /** Where the evaluation came from: the browser SDK (`client`) or the customer's backend (`server`). */
  channel: 'client' | 'server';
  user: { id: string; email?: string | null; phone?: string | null };
  metadata: Record<string, string | number | boolean | null>;
  ip?: string | null;
  userAgent?: string | null;
  fingerprint?: string | null;
  /** Whether the browser presented the first-party device cookie (client evaluations only). */
  hasDeviceCookie?: boolean;
  nonce?: NonceStatus;
}

/** When something about this user was last seen, within the retention window (ms since epoch), or null. */
export interface HistorySnapshot {
  user: { firstSeenAt: number } | null;
  ipLastSeenAt: number | null;
  fingerprintLastSeenAt: number | null;
  deviceLastSeenAt: number | null;
}

export interface DecideOptions {
  /** How far back history counts (default 180 days): an IP last seen before that is new again. */
  retentionMs: number;
}

/** Effects the caller applies in the same transaction as the evaluation. Policies add more (issue 4). */
export type Effect = never;

export interface Explanation {
  checks: Checks;
  reasons: string[];
  risks: RiskExplanation[];
  policy: null;
}

export interface RiskExplanation {
  category: string;
  score: number;
  severity: 'low' | 'medium' | 'high' | 'maximum';
  contributions: { check: string; weight: number }[];
}

export interface Decision {
  verdict: Verdict;
  effects: Effect[];
  explanation: Explanation;
}
