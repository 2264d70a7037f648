import { lookupCheck, type PolicyDraft, validatePolicy } from '@vigil/core';
import type { Environment, PolicyBody, Project, StoredPolicy } from '@vigil/store';
import { AppError, problemsMessage } from '../errors/codes.js';
import type { Deps } from './deps.js';

/**
 * Creates a policy, or saves a new version of one. Validated against the check registry, the project's
 * lists and risks first: a policy that cannot run is refused with every problem named, never saved.
 */
export async function savePolicy(deps: Deps, auth: { project: Project; environment: Environment }, input: unknown, id?: string): Promise<StoredPolicy> {
  const policy = await validateForProject(deps, auth.project, input);
  const now = deps.now();
  const saved = id === undefined ? await create(deps, auth, policy, now) : await update(deps, auth, id, policy, now);
  // After the write, so an evaluation racing with it cannot cache the old version again.
  deps.policies.invalidate(auth.project.id);
  return saved;
}

/** A policy checked against the check registry and this project's lists and risks, or INVALID_POLICY. */
export async function validateForProject(deps: Deps, project: Project, input: unknown): Promise<PolicyDraft> {
  const lists = await deps.store.lists.list(project.id);
  const result = validatePolicy(input, lookupCheck, { knownLists: lists.map((l) => l.name), customRisks: Object.keys(project.riskOverrides) });
  if (!result.ok) throw new AppError('INVALID_POLICY', problemsMessage(result.errors));
  return result.policy;
}

function create(deps: Deps, auth: { project: Project; environment: Environment }, body: PolicyBody, now: number): Promise<StoredPolicy> {
  return deps.store.policies.create({ projectId: auth.project.id, environment: auth.environment, body, now });
}

async function update(deps: Deps, auth: { project: Project; environment: Environment }, id: string, body: PolicyBody, now: number): Promise<StoredPolicy> {
  const existing = await deps.store.policies.find(auth.project.id, id);
  if (!existing || existing.environment !== auth.environment) throw new AppError('POLICY_NOT_FOUND', `No policy ${id} in this project and environment`);
  const updated = await deps.store.policies.update({ projectId: auth.project.id, id, body, now });
  if (!updated) throw new AppError('POLICY_NOT_FOUND', `No policy ${id} in this project and environment`);
  return updated;
}

export async function findPolicy(deps: Deps, auth: { project: Project; environment: Environment }, id: string): Promise<StoredPolicy> {
  const policy = await deps.store.policies.find(auth.project.id, id);
  if (!policy || policy.environment !== auth.environment) throw new AppError('POLICY_NOT_FOUND', `No policy ${id} in this project and environment`);
  return policy;
}

/** Enables or disables a policy: a new version with only `enabled` changed. */
export async function setPolicyEnabled(deps: Deps, auth: { project: Project; environment: Environment }, id: string, enabled: boolean): Promise<StoredPolicy> {
  const { name, events, priority, conditions, action } = await findPolicy(deps, auth, id);
  const saved = await update(deps, auth, id, { name, events, priority, enabled, conditions, action }, deps.now());
  deps.policies.invalidate(auth.project.id);
  return saved;
}

/** Runs the environment's policies in this order (priorities 1, 2, 3…): one transaction, a new version for each that moves. */
export async function reorderPolicies(deps: Deps, auth: { project: Project; environment: Environment }, order: string[]): Promise<StoredPolicy[]> {
  const reordered = await deps.store.policies.reorder({ projectId: auth.project.id, environment: auth.environment, order, now: deps.now() });
  if (!reordered) throw new AppError('POLICY_ORDER_STALE', "order must list each of the environment's policies once: reload them and try again");
  deps.policies.invalidate(auth.project.id);
  return reordered;
}
