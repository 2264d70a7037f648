import type { Effect } from '@vigil/core';
import type { EvaluationRecord } from '@vigil/store';
import { accountOf, emitWebhook } from '../webhooks/events.js';
import type { Deps } from './deps.js';

/**
 * The webhooks an evaluation gives, once it is committed: `evaluation.created` (to endpoints that asked),
 * `evaluation.denied`, and what its policy did: `user.suspended`, `list.entry_added`; and
 * `user.account_sharing_signal` when its checks say the account is live in two places or used by
 * several people.
 */
export async function announceEvaluation(deps: Deps, e: EvaluationRecord, effects: readonly Effect[]): Promise<void> {
  // Most projects have no endpoint: nothing to build the events for (the endpoints are kept, so this
  // costs no read).
  if ((await deps.webhookEndpoints.get(e.projectId).catch(() => null))?.length === 0) return;
  const account = accountOf(e.user.externalId);
  const evaluation = {
    id: e.id,
    object: 'evaluation',
    action: e.action,
    verdict: e.verdict,
    user: account,
    reasons: e.reasons,
    risk_summary: e.risks.map(({ category, severity }) => ({ category, severity })),
    policy: e.policy ? { id: e.policy.id, name: e.policy.name, version: e.policy.version } : null,
    createdAt: new Date(e.createdAt).toISOString(),
  };
  const projectId = e.projectId;
  await emitWebhook(deps, projectId, 'evaluation.created', { data: evaluation, account });
  if (e.verdict === 'deny') await emitWebhook(deps, projectId, 'evaluation.denied', { data: evaluation, account });
  for (const effect of effects) {
    if (effect.type === 'suspend_user') {
      await emitWebhook(deps, projectId, 'user.suspended', { data: { user: account, by: 'policy', evaluation: e.id, policy: evaluation.policy }, account });
    } else if (effect.type === 'add_to_list') {
      await emitWebhook(deps, projectId, 'list.entry_added', {
        data: { list: effect.list, kind: effect.kind, value: effect.value, by: 'policy', evaluation: e.id, policy: evaluation.policy },
        account,
      });
    }
  }
  const { concurrent_sessions: concurrent, concurrent_session_count: sessions, people_count: people, active_people_count: activePeople } = e.checks;
  if (concurrent === true || (typeof people === 'number' && people >= 2)) {
    await emitWebhook(deps, projectId, 'user.account_sharing_signal', {
      data: {
        user: account,
        evaluation: e.id,
        device: e.deviceId,
        concurrent_sessions: concurrent === true,
        concurrent_session_count: typeof sessions === 'number' ? sessions : 0,
        people_count: typeof people === 'number' ? people : null,
        active_people_count: typeof activePeople === 'number' ? activePeople : null,
        metadata: e.metadata,
      },
      account,
    });
  }
}
