import { deviceConflictsFor } from './checks/concurrent_sessions.js';
import { loginPlace, loginTraits } from './familiarity/traits.js';
import { loginTrust } from './familiarity/trust.js';
import { computeChecks } from './checks/index.js';
import { listValueOf } from './list_values.js';
import { suppressingChallenge } from './challenges/suppression.js';
import { selectPolicy } from './policies/index.js';
import { reasonsFor } from './reasons.js';
import { challengeKindFor, riskTables, scoreRisks } from './risks/index.js';
import type { RiskTable } from './risks/types.js';
import type { DecideOptions, Decision, Effect, EvaluationInput, Facts, HistorySnapshot, PassedChallenge, Policy, Severity, Verdict } from './types.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export const defaultDecideOptions: DecideOptions = {
  retentionMs: 180 * DAY_MS,
  sessionWindowMs: 5 * MINUTE_MS,
  deviceWindowMs: 30 * DAY_MS,
  originWindowMs: 90 * DAY_MS,
};

export interface DecisionRequest {
  evaluation: EvaluationInput;
  facts: Facts;
  history: HistorySnapshot;
  /** The policies of the evaluation's project and environment (disabled ones are skipped). */
  policies: Policy[];
  /** The risk tables in force (the built-in ones with the project's overrides applied). */
  risks?: readonly RiskTable[];
  now: number;
  options?: Partial<DecideOptions>;
}

function outcome(
  policy: Policy,
  req: DecisionRequest,
  reasons: string[],
  risks: ReturnType<typeof scoreRisks>,
): { verdict: Verdict; effects: Effect[]; suppressedBy?: PassedChallenge } {
  const action = policy.action;
  switch (action.type) {
    case 'allow':
    case 'deny':
    case 'restrict':
      return { verdict: action.type, effects: [] };
    case 'suspend':
      return { verdict: 'suspend', effects: [{ type: 'suspend_user' }] };
    case 'challenge':
    case 'challenge_and_restrict': {
      // Passed recently on this device: not asked again, and what follows a pass applies (allow, or restrict).
      const passed = suppressingChallenge(policy.id, action.challenge, reasons, req.history, req.now);
      if (passed) return { verdict: action.type === 'challenge' ? 'allow' : 'restrict', effects: [], suppressedBy: passed };
      return {
        verdict: action.type,
        effects: [{ type: 'open_challenge', policy: policy.id, challenge: { ...action.challenge, kind: challengeKindFor(risks, req.evaluation.action), reasons } }],
      };
    }
    case 'add_to_list':
    case 'remove_from_list': {
      const value = listValueOf(action.value, req.evaluation, req.facts);
      // Nothing to add when the evaluation has no such value (a list of phones, an evaluation without one).
      const effects: Effect[] = value === null ? [] : [{ type: action.type, list: action.list, kind: action.value, value }];
      return { verdict: action.type, effects };
    }
  }
}

/**
 * The decision (ARCHITECTURE.md step 4): checks from the evaluation, the facts and the history at `now`,
 * risks from the checks, then the first policy that holds. Pure: the same request always gives the same
 * decision, and everything to write comes back as effects for the caller's transaction.
 */
export function decide(req: DecisionRequest): Decision {
  const options: DecideOptions = { ...defaultDecideOptions, ...req.options };
  const ctx = { now: req.now, options };
  const checks = computeChecks(req.evaluation, req.facts, req.history, ctx);
  const risks = scoreRisks(checks, req.risks ?? riskTables);
  const reasons = reasonsFor(checks);
  // Plain loops: this runs on every evaluation, and Object.fromEntries costs more than the policies.
  const severities: Record<string, Severity> = {};
  for (const r of risks) severities[r.category] = r.severity;
  const lists: Record<string, boolean> = {};
  for (const l of req.history.lists) lists[l.name] = l.matched;
  const selected =
    req.policies.length === 0
      ? null
      : selectPolicy(req.policies, req.evaluation.action, {
          checks,
          risks: severities,
          metadata: req.evaluation.metadata,
          action: req.evaluation.action,
          lists,
          eventCounts: req.history.eventCounts,
        });
  const conflicts: Effect[] = deviceConflictsFor(req.evaluation, req.facts, req.history, ctx).map((devices) => ({ type: 'record_device_conflict', devices }));
  if (!selected) {
    const explanation = { checks, reasons, risks, policy: null };
    return { verdict: 'allow', effects: [...conflicts, observation(req, 'allow', explanation, options)], explanation };
  }
  const { policy, trace } = selected;
  const { verdict, effects, suppressedBy } = outcome(policy, req, reasons, risks);
  const suppressed = suppressedBy ? { suppressed_by: { challenge: suppressedBy.id, passed_at: suppressedBy.passedAt } } : {};
  const explanation = { checks, reasons, risks, policy: { id: policy.id, name: policy.name, version: policy.version, action: policy.action, trace, ...suppressed } };
  return { verdict, effects: [...effects, ...conflicts, observation(req, verdict, explanation, options)], explanation };
}

/** What the user's familiar set takes from this evaluation (it learns only from trusted logins). */
function observation(req: DecisionRequest, verdict: Verdict, explanation: Decision['explanation'], options: DecideOptions): Effect {
  return {
    type: 'observe_login',
    trust: loginTrust({ verdict, explanation }),
    traits: loginTraits(req.evaluation, req.facts),
    place: loginPlace(req.evaluation, req.facts, req.now),
    retentionMs: options.retentionMs,
  };
}
