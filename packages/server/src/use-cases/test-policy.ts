import { type FieldSource, type Policy, selectPolicy, type Severity } from '@vigil/core';
import type { Environment, EvaluationRecord, Project } from '@vigil/store';
import type { Deps } from './deps.js';
import { validateForProject } from './save-policy.js';

const DAY_MS = 86_400_000;
/** The most recent evaluations replayed; enough to judge a policy, bounded so a test stays quick. */
export const POLICY_TEST_LIMIT = 10_000;
const SAMPLES = 20;

export interface PolicyTestResult {
  evaluated: number;
  matched: number;
  changed: number;
  samples: string[];
}

/**
 * What the stored evaluation offers a condition: its checks (`in_list:` ones included), risks,
 * metadata and action. Velocity counts were not stored, so `event_count` conditions read as absent.
 */
function sourceOf(e: EvaluationRecord): FieldSource {
  const risks: Record<string, Severity> = {};
  for (const r of e.risks) risks[r.category] = r.severity;
  const lists: Record<string, boolean> = {};
  for (const [name, value] of Object.entries(e.checks)) if (name.startsWith('in_list:') && typeof value === 'boolean') lists[name.slice(8)] = value;
  return { checks: e.checks, risks, metadata: e.metadata, action: e.action, lists, eventCounts: {} };
}

/**
 * Runs a draft policy over the last `days` of the environment's evaluations (SPEC §6): how many it
 * would have matched, and how many verdicts the policy set with the draft in it would have changed.
 * The draft counts as enabled (it is usually tested before it is); with the `id` of an existing policy
 * it stands in for that policy.
 */
export async function testPolicy(deps: Deps, auth: { project: Project; environment: Environment }, body: { policy: unknown; days: number }): Promise<PolicyTestResult> {
  const checked = await validateForProject(deps, auth.project, body.policy);
  const givenId = (body.policy as { id?: unknown }).id;
  const draft: Policy = { ...checked, enabled: true, id: typeof givenId === 'string' ? givenId : 'po_draft', version: 0 };
  const current = await deps.policies.get(auth.project.id, auth.environment);
  const withDraft = [...current.filter((p) => p.id !== draft.id), draft];

  const evaluations = await deps.store.evaluations.since(auth.project.id, auth.environment, deps.now() - body.days * DAY_MS, POLICY_TEST_LIMIT);
  const outcome: PolicyTestResult = { evaluated: evaluations.length, matched: 0, changed: 0, samples: [] };
  for (const e of evaluations) {
    const source = sourceOf(e);
    if (selectPolicy([draft], e.action, source)) {
      outcome.matched++;
      if (outcome.samples.length < SAMPLES) outcome.samples.push(e.id);
    }
    // A policy's action type is the verdict it gives (allow, deny, suspend, challenge, list changes).
    const verdict = selectPolicy(withDraft, e.action, source)?.policy.action.type ?? 'allow';
    if (verdict !== e.verdict) outcome.changed++;
  }
  return outcome;
}
