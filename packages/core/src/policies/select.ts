import type { Policy, TraceNode } from '../types.js';
import { evaluateCondition } from './evaluate.js';
import type { FieldSource } from './fields.js';
import { compileCondition } from './compile.js';

const appliesTo = (policy: Policy, action: string) => policy.enabled && (policy.events.includes(action) || policy.events.includes('*'));
const byPriority = (a: Policy, b: Policy) => a.priority - b.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

// The run order of a policy set, computed once per set (the server loads a project's set once and
// reuses it): sorting 50 policies on every evaluation costs more than evaluating most of them.
const ordered = new WeakMap<readonly Policy[], Policy[]>();
function runOrder(policies: readonly Policy[]): Policy[] {
  let sorted = ordered.get(policies);
  if (!sorted) {
    sorted = [...policies].sort(byPriority);
    ordered.set(policies, sorted);
  }
  return sorted;
}

/**
 * The first enabled policy for this action, by priority (lower first; ties by id, so the order never
 * depends on how the policies were loaded), whose conditions hold; null when none does.
 */
export function selectPolicy(policies: readonly Policy[], action: string, source: FieldSource): { policy: Policy; trace: TraceNode } | null {
  for (const policy of runOrder(policies)) {
    // Trace only the policy that decides; the others need a yes or no.
    if (appliesTo(policy, action) && compileCondition(policy.conditions)(source)) return { policy, trace: evaluateCondition(policy.conditions, source) };
  }
  return null;
}
