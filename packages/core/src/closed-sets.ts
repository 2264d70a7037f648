// The product's closed sets, each stated once. The server's schemas (and so the OpenAPI document), the
// dashboard's options and @vigil/api's types are built from these lists, so adding a verdict or a list
// kind is one line here and every surface follows.

/**
 * What Vigil answers, which is also what a policy's action can be. `restrict`: allow, but your backend
 * limits the session (read-only, lower limits). `challenge_and_restrict`: challenge, and once the user
 * passes, restrict. `add_to_list` / `remove_from_list`: the action was noted in a list; your backend
 * decides what it means for the action (usually: allow it).
 */
export const VERDICTS = ['allow', 'deny', 'challenge', 'suspend', 'add_to_list', 'remove_from_list', 'restrict', 'challenge_and_restrict'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** A policy's `action.type`: one per verdict, the verdict it gives when it decides. */
export const POLICY_ACTION_TYPES = VERDICTS;
export type PolicyActionType = Verdict;

/** A risk's severity, in order: policies compare them by rank. */
export const SEVERITIES = ['low', 'medium', 'high', 'maximum'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The built-in risks (SPEC §5): the first five are acted on, the rest observed only. */
export const RISK_CATEGORIES = [
  'ato',
  'fake_account',
  'account_sharing',
  'scraping',
  'linked_accounts',
  'bot',
  'tampering',
  'anti_fingerprinting',
  'incognito',
  'replay_attack',
] as const;
export type RiskCategory = (typeof RISK_CATEGORIES)[number];

/** Which value of an evaluation a list holds. */
export const LIST_VALUE_KINDS = ['user', 'email', 'email_domain', 'ip', 'fingerprint', 'device', 'phone', 'country'] as const;
export type ListValueKind = (typeof LIST_VALUE_KINDS)[number];

/** What a list holds: a kind of value, or `cidr`, IP ranges an evaluation's `ip` is matched against. */
export const LIST_TYPES = ['user', 'email', 'email_domain', 'ip', 'cidr', 'country', 'fingerprint', 'device', 'phone'] as const;
export type ListType = (typeof LIST_TYPES)[number];

/** The condition language's operators (SPEC §6); `operatorsFor` says which apply to a field's type. */
export const OPERATORS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in', 'contains', 'exists', 'not_exists'] as const;
export type Operator = (typeof OPERATORS)[number];

/** How a challenge verifies: a code by email or SMS, or logging devices out. */
export const CHALLENGE_METHODS = ['verification', 'device_limit'] as const;
export type ChallengeMethod = (typeof CHALLENGE_METHODS)[number];

export const CHALLENGE_CHANNELS = ['email', 'sms'] as const;
export type ChallengeChannel = (typeof CHALLENGE_CHANNELS)[number];

/** A challenge's status (SPEC §7); the moves between them are in challenges/status.ts. */
export const CHALLENGE_STATUSES = ['created', 'presented', 'code_sent', 'verified', 'completed', 'failed', 'skipped', 'overridden'] as const;
export type ChallengeStatus = (typeof CHALLENGE_STATUSES)[number];

/** What a challenge is about, from the risk that led to it (SPEC §7). */
export const CHALLENGE_KINDS = ['account_takeover', 'account_sharing', 'multi_accounting', 'fake_account'] as const;
export type ChallengeKind = (typeof CHALLENGE_KINDS)[number];

/**
 * What a webhook endpoint can be sent. `evaluation.created` is one per evaluation: an endpoint gets it
 * only when it asks (DEFAULT_WEBHOOK_EVENTS is every other).
 */
export const WEBHOOK_EVENTS = [
  'challenge.initiated',
  'challenge.viewed',
  'challenge.completed',
  'challenge.skipped',
  'challenge.failed',
  'evaluation.created',
  'evaluation.denied',
  'user.suspended',
  'user.unsuspended',
  'user.account_sharing_signal',
  'device.logged_out',
  'list.entry_added',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export const DEFAULT_WEBHOOK_EVENTS: readonly WebhookEvent[] = WEBHOOK_EVENTS.filter((e) => e !== 'evaluation.created');
