import type { WebhookEvent } from '@vigil/core';
import { accountOf, challengeEventData, emitWebhook } from '../../webhooks/events.js';
import type { Deps } from '../deps.js';

/** Queues a challenge's webhook with the challenge as it now is (its status after the step). */
export async function announceChallenge(deps: Deps, challengeId: string, type: Extract<WebhookEvent, `challenge.${string}`>): Promise<void> {
  try {
    const challenge = await deps.store.challenges.findById(challengeId);
    if (!challenge) return;
    const userExternalId = (await deps.store.users.externalIdOf(challenge.userId)) ?? undefined;
    const data = challengeEventData({ ...challenge, ...(userExternalId ? { userExternalId } : {}) });
    await emitWebhook(deps, challenge.projectId, type, { data, account: accountOf(userExternalId), challenge: data });
  } catch (error) {
    console.error(`could not queue the ${type} webhook for ${challengeId}:`, (error as Error).message);
  }
}
