import { challengeEventData, emitWebhook, type WebhookEventType } from '../../webhooks/events.js';
import type { Deps } from '../deps.js';

/**
 * Queues a challenge webhook. The evaluation or the challenge's step is already stored, so a failure
 * to queue is reported, not turned into a failed request.
 */
export async function announceChallenge(deps: Deps, challengeId: string, type: WebhookEventType): Promise<void> {
  try {
    const challenge = await deps.store.challenges.findById(challengeId);
    if (challenge) await emitWebhook(deps, challenge.projectId, type, challengeEventData(challenge));
  } catch (error) {
    console.error(`could not queue the ${type} webhook for ${challengeId}:`, (error as Error).message);
  }
}
