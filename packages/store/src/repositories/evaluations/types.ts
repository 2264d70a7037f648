import type {
  ChallengeChannel,
  ChallengeKind,
  ChallengeMethod,
  ChallengeStatus,
  Checks,
  Effect,
  FamiliarityProfile,
  PolicyExplanation,
  RiskExplanation,
  Verdict,
} from '@vigil/core';
import type { LastSightings } from '../history/types.js';
import { fromJson } from '../../json.js';
import type { Severity } from '../../risk-flags.js';
import type { EvaluationTable } from '../../schema.js';
import type { Environment } from '../projects.js';

export type Metadata = Record<string, string | number | boolean | null>;

/** The challenge as an evaluation shows it: what it is about, how it verifies, and its status now. */
export interface EvaluationChallenge {
  id: string;
  type: ChallengeKind;
  method: ChallengeMethod;
  status: ChallengeStatus;
  channels: ChallengeChannel[];
  reasons: string[];
}

/** Everything about one evaluation that is kept: what was asked, what was seen, what was decided and why. */
export interface EvaluationRecord {
  id: string;
  projectId: string;
  environment: Environment;
  channel: 'client' | 'server';
  action: string;
  user: { id: string; externalId: string; email: string | null; phone: string | null };
  deviceId: string | null;
  fingerprintId: string | null;
  ip: string | null;
  userAgent: string | null;
  origin: string | null;
  ipInfo: Record<string, unknown> | null;
  metadata: Metadata;
  verdict: Verdict;
  /** The policy that decided, with the trace of its conditions; null when none held. */
  policy: PolicyExplanation | null;
  challenge: EvaluationChallenge | null;
  redirect: string | null;
  risks: RiskExplanation[];
  checks: Checks;
  reasons: string[];
  consumedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** Where the evaluation's IP was, as intel told the caller. */
export interface Place {
  latitude: number;
  longitude: number;
  accuracyKm: number;
  precision: 'city' | 'country';
  country: string | null;
  ipType: string | null;
}

export interface NewEvaluation {
  /** Allocated by the caller (`newId('ev')`) so that a challenge link can name it before it is stored. */
  id: string;
  projectId: string;
  environment: Environment;
  channel: 'client' | 'server';
  action: string;
  user: { externalId: string; email: string | null; phone: string | null };
  deviceCookieId: string | null;
  /** The device's id: the stored one, or a new one the caller allocated for a new cookie. */
  deviceId: string | null;
  /** The device was re-linked by fingerprint: it takes `deviceCookieId` as its cookie from now on. */
  relinkedDevice?: boolean;
  deviceClass: string | null;
  fingerprintHash: string | null;
  /** The fingerprint's id: the stored one, or a new one the caller allocated. */
  fingerprintId: string | null;
  ip: string | null;
  userAgent: string | null;
  origin: string | null;
  /**
   * When the IP's, the fingerprint's and the origin's sightings were last written, as this evaluation's
   * history read them: one written within the last minute is not written again (record.ts,
   * `sightingsDue`). Absent: all are written.
   */
  lastSightings?: LastSightings;
  place: Place | null;
  /** What intel said of the IP, shown in the evaluation as `ip_info`. */
  ipInfo: Record<string, unknown> | null;
  metadata: Metadata;
  verdict: Verdict;
  checks: Checks;
  reasons: string[];
  risks: RiskExplanation[];
  policy: PolicyExplanation | null;
  /** The challenge shown in the evaluation (with its id, allocated by the caller), and its link. */
  challenge: EvaluationChallenge | null;
  redirect: string | null;
  /** What the decision asked for, applied in the same transaction as the evaluation. */
  effects: Effect[];
  /**
   * The user's familiar set as this evaluation's history read it: a production login's observation is
   * then learned from it and written with the user (familiar-set.ts). Absent: learned after the write.
   */
  familiarity?: FamiliarityProfile | null;
  now: number;
}

export type ConsumeResult = { status: 'consumed'; evaluation: EvaluationRecord } | { status: 'already_consumed'; evaluation: EvaluationRecord } | { status: 'not_found' };

export interface EvaluationFilter {
  action?: string;
  verdict?: string;
  /** The application's user id. */
  user?: string;
  ip?: string;
  from?: number;
  to?: number;
  /** A risk (any when no category) at this severity or above. */
  risk?: { category?: string; atLeast: Severity };
  /** The last evaluation of the previous page. */
  after?: { createdAt: number; id: string };
  limit: number;
}

/** The evaluation's JSON columns, parsed. */
export type EvaluationDocuments = Pick<EvaluationRecord, 'ipInfo' | 'metadata' | 'policy' | 'challenge' | 'risks' | 'checks' | 'reasons'>;

/** A stored evaluation, its JSON columns parsed. */
export function toRecord(row: EvaluationTable): EvaluationRecord {
  return recordOf(row, row, {
    ipInfo: fromJson<Record<string, unknown> | null>(row.ip_info, null),
    metadata: fromJson<Metadata>(row.metadata, {}),
    policy: fromJson<PolicyExplanation | null>(row.policy, null),
    challenge: fromJson<EvaluationChallenge | null>(row.challenge, null),
    risks: fromJson<RiskExplanation[]>(row.risks, []),
    checks: fromJson<Checks>(row.checks, {}),
    reasons: fromJson<string[]>(row.reasons, []),
  });
}

/** The ids an evaluation's row names once its writes settled them: its user's, device's and fingerprint's. */
export type SettledIds = Pick<EvaluationTable, 'user_id' | 'device_id' | 'fingerprint_id'>;

/**
 * A row, its ids and its documents as the evaluation shows them (the recorder has them in hand, unparsed).
 * Every property is named, not spread: on Node 20's V8 a spread followed by more properties (as
 * `{ ...row, user_id }` was) takes a slow path that builds a new hidden class for each object, in the old
 * generation: 7 µs and a few kB of old-generation garbage per evaluation, which brought on a full
 * collection every few seconds (docs/architecture.md, "Object spreads").
 */
export function recordOf(row: Omit<EvaluationTable, keyof SettledIds>, ids: SettledIds, documents: EvaluationDocuments): EvaluationRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    environment: row.environment as Environment,
    channel: row.channel as 'client' | 'server',
    action: row.action,
    user: { id: ids.user_id, externalId: row.user_external_id, email: row.email, phone: row.phone },
    deviceId: ids.device_id,
    fingerprintId: ids.fingerprint_id,
    ip: row.ip,
    userAgent: row.user_agent,
    origin: row.origin,
    verdict: row.verdict as Verdict,
    redirect: row.redirect,
    consumedAt: row.consumed_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ipInfo: documents.ipInfo,
    metadata: documents.metadata,
    policy: documents.policy,
    challenge: documents.challenge,
    risks: documents.risks,
    checks: documents.checks,
    reasons: documents.reasons,
  };
}
