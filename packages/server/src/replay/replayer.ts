import {
  type Checks,
  decide,
  emptyHistory,
  type Explanation,
  type FamiliarityProfile,
  type HistorySnapshot,
  type LocatedEvaluation,
  observeLogin,
  type RiskTable,
  riskTables,
  type Severity,
  settleLogin,
} from '@vigil/core';
import { classifyUserAgent, type Intel, type UserAgentFacts } from '@vigil/intel';
import type { LoginEvent } from './login-event.js';

/**
 * How the familiar set learns when no backend and no person answers (a replay has neither), with the
 * product's rule (`loginTrust`) in each case but the last:
 * - `allowed` (default): the standard integration, where the backend consumes every evaluation it was
 *   allowed to honour; with no policies every verdict is allow, so a pending (medium) login is settled
 *   at once and only a high or maximum one is never learned;
 * - `trusted`: no backend consumes anything: only low-risk logins are learned, pending ones never settle;
 * - `every`: every login is learned, whatever it scored (what Vigil did before familiarity).
 */
export type ReplayLearning = 'allowed' | 'trusted' | 'every';
export const REPLAY_LEARNINGS: readonly ReplayLearning[] = ['allowed', 'trusted', 'every'];

export interface ReplayOptions {
  /** The risk tables (default: the built-in ones). */
  risks?: readonly RiskTable[];
  learning?: ReplayLearning;
  retentionMs?: number;
  /** Return every check of each login too. */
  withChecks?: boolean;
}

export interface ReplayResult {
  i: number | string;
  /** The `ato` score, 0–100, and its severity. */
  score: number;
  severity: Severity;
  /** The checks (and combinations) that made the score. */
  checks: string[];
  /** Every check of the login, with `withChecks` (an ablation rescoring the same logins needs them). */
  all?: Checks;
}

interface UserState {
  firstSeenAt: number;
  lastSeenAt: number;
  ipLastSeenAt: Map<string, number>;
  lastLocated: LocatedEvaluation | null;
  familiarity: FamiliarityProfile | null;
}

const DAY_MS = 86_400_000;
/** Distinct user agents remembered parsed: strings repeat heavily, parsing them is the costliest step. */
const UA_CACHE_LIMIT = 50_000;

/**
 * Evaluates a login stream offline, each login at its own time, with the decision core the server uses
 * and an in-memory history: a login's result depends only on the logins before it, and nothing but the
 * stream (and the bundled reference data) goes in. Only what a login, its IP and its user agent can show
 * is known (no device cookie, fingerprint, email or policies).
 */
export class Replayer {
  private readonly users = new Map<string, UserState>();
  private readonly userAgents = new Map<string, UserAgentFacts>();
  private readonly risks: readonly RiskTable[];
  private readonly learning: ReplayLearning;
  private readonly retentionMs: number;
  private readonly withChecks: boolean;

  constructor(
    private readonly intel: Intel,
    options: ReplayOptions = {},
  ) {
    this.risks = options.risks ?? riskTables;
    this.learning = options.learning ?? 'allowed';
    this.retentionMs = options.retentionMs ?? 180 * DAY_MS;
    this.withChecks = options.withChecks ?? false;
  }

  /**
   * `known`: what the customer's system knows of the login (an import's `outcome`), which overrules the
   * score's trust: a login it honoured is learned, one it refused never is.
   */
  evaluate(event: LoginEvent, known?: 'trusted' | 'untrusted'): ReplayResult {
    const { explanation, state, effects, now } = this.decideOne(event);
    this.remember(event, state, effects, now, known);
    const ato = explanation.risks.find((r) => r.category === 'ato');
    const result: ReplayResult = { i: event.i, score: ato?.score ?? 0, severity: ato?.severity ?? 'low', checks: ato?.contributions.map((c) => c.check) ?? [] };
    if (this.withChecks) result.all = explanation.checks;
    return result;
  }

  /** The familiar sets built so far, by user (what `vigil import` stores). */
  profiles(): Map<string, { firstSeenAt: number; lastSeenAt: number; ips: Map<string, number>; familiarity: FamiliarityProfile | null }> {
    return new Map([...this.users].map(([user, s]) => [user, { firstSeenAt: s.firstSeenAt, lastSeenAt: s.lastSeenAt, ips: s.ipLastSeenAt, familiarity: s.familiarity }]));
  }

  private userAgent(ua: string): UserAgentFacts {
    let facts = this.userAgents.get(ua);
    if (!facts) {
      if (this.userAgents.size >= UA_CACHE_LIMIT) this.userAgents.clear();
      facts = classifyUserAgent(ua);
      this.userAgents.set(ua, facts);
    }
    return facts;
  }

  private decideOne(event: LoginEvent) {
    const now = event.at;
    const state = this.users.get(event.user) ?? null;
    const { facts } = this.intel.facts({ ip: event.ip }, now);
    if (event.ua) facts.userAgent = this.userAgent(event.ua);
    const profile = state?.familiarity ?? null;
    const history: HistorySnapshot = state
      ? {
          ...emptyHistory,
          user: { firstSeenAt: state.firstSeenAt, emailVerified: false, phoneVerified: false, suspended: false },
          ipLastSeenAt: event.ip ? (state.ipLastSeenAt.get(event.ip) ?? null) : null,
          // As the store does: the last trusted login's place once the user has one.
          locatedBefore: profile && profile.trustedLogins > 0 ? profile.place : state.lastLocated,
          failedChallengesLastDay: 0,
          familiarity: profile,
        }
      : { ...emptyHistory, failedChallengesLastDay: 0 };
    const evaluation = { action: 'login', channel: 'server' as const, user: { id: event.user }, metadata: {}, ip: event.ip, userAgent: event.ua };
    const decision = decide({ evaluation, facts, history, policies: [], risks: this.risks, now, options: { retentionMs: this.retentionMs } });
    return { explanation: decision.explanation as Explanation, state, effects: decision.effects, now };
  }

  private remember(event: LoginEvent, existing: UserState | null, effects: ReturnType<Replayer['decideOne']>['effects'], now: number, known?: 'trusted' | 'untrusted') {
    const state: UserState = existing ?? { firstSeenAt: now, lastSeenAt: now, ipLastSeenAt: new Map(), lastLocated: null, familiarity: null };
    state.lastSeenAt = Math.max(state.lastSeenAt, now);
    this.users.set(event.user, state);
    if (event.ip) state.ipLastSeenAt.set(event.ip, Math.max(now, state.ipLastSeenAt.get(event.ip) ?? 0));
    const observation = effects.find((e) => e.type === 'observe_login');
    if (observation?.type !== 'observe_login') return;
    if (observation.place) state.lastLocated = observation.place;
    const id = `ev_replay_${event.i}`;
    const login = { evaluation: id, at: now, traits: observation.traits, place: observation.place };
    const trust = known ?? (this.learning === 'every' ? 'trusted' : observation.trust);
    let profile = observeLogin(state.familiarity, login, trust, this.retentionMs);
    // With no policies every verdict is allow: a backend that consumes what is allowed settles it.
    if (this.learning === 'allowed' && trust === 'pending') profile = settleLogin(profile, id, 'consumed', this.retentionMs) ?? profile;
    state.familiarity = profile;
  }
}
