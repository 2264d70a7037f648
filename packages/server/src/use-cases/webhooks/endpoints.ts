import { DEFAULT_WEBHOOK_EVENTS, type WebhookEvent } from '@vigil/core';
import { newId, type Project, type WebhookDelivery, type WebhookEndpoint } from '@vigil/store';
import { refuseForbiddenDestination } from '../../destinations/refuse-at-save.js';
import { AppError } from '../../errors/codes.js';
import { newWebhookSecret } from '../../webhooks/sign.js';
import type { Deps } from '../deps.js';

/** A project's endpoints are few; a bound keeps one project from fanning every event out without end. */
export const MAX_ENDPOINTS = 10;

/** An endpoint's URL, checked as a destination: absolute http(s), and never an address Vigil must not reach. */
async function checkedUrl(deps: Deps, text: string): Promise<string> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AppError('VALIDATION_ERROR', 'url must be an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new AppError('VALIDATION_ERROR', 'url must be an http(s) URL');
  // The WHATWG parser has already spelled out decimal, hex and IPv4-mapped hosts (http://2130706433/ is 127.0.0.1).
  await refuseForbiddenDestination('url', url.hostname, { allowPrivate: deps.config.allowPrivateDestinations });
  return url.href;
}

const notFound = (id: string) => new AppError('NOT_FOUND', `No webhook endpoint ${id} in this project`);

/** A new endpoint with its signing secret (shown this once); every event but `evaluation.created` unless told. */
export async function createWebhookEndpoint(deps: Deps, project: Project, input: { url: string; events?: WebhookEvent[] }): Promise<WebhookEndpoint> {
  const url = await checkedUrl(deps, input.url);
  if ((await deps.store.webhooks.endpoints(project.id)).length >= MAX_ENDPOINTS) throw new AppError('VALIDATION_ERROR', `A project has at most ${MAX_ENDPOINTS} webhook endpoints`);
  const endpoint = await deps.store.webhooks.createEndpoint(
    project.id,
    { id: newId('we'), url, secret: newWebhookSecret(), events: [...new Set(input.events ?? DEFAULT_WEBHOOK_EVENTS)] },
    deps.now(),
  );
  deps.webhookEndpoints.forget(project.id);
  return endpoint;
}

/** Changes an endpoint's URL or events (its secret stays); `rotateSecret` makes a new one, answered once. */
export async function updateWebhookEndpoint(
  deps: Deps,
  project: Project,
  id: string,
  input: { url?: string; events?: WebhookEvent[]; rotateSecret?: boolean },
): Promise<WebhookEndpoint> {
  const url = input.url === undefined ? undefined : await checkedUrl(deps, input.url);
  const updated = await deps.store.webhooks.updateEndpoint(project.id, id, {
    ...(url === undefined ? {} : { url }),
    ...(input.events === undefined ? {} : { events: [...new Set(input.events)] }),
    ...(input.rotateSecret ? { secret: newWebhookSecret() } : {}),
  });
  if (!updated) throw notFound(id);
  deps.webhookEndpoints.forget(project.id);
  return updated;
}

export async function removeWebhookEndpoint(deps: Deps, project: Project, id: string): Promise<void> {
  if (!(await deps.store.webhooks.removeEndpoint(project.id, id))) throw notFound(id);
  deps.webhookEndpoints.forget(project.id);
}

export async function findWebhookEndpoint(deps: Deps, project: Project, id: string): Promise<WebhookEndpoint> {
  const endpoint = await deps.store.webhooks.findEndpoint(project.id, id);
  if (!endpoint) throw notFound(id);
  return endpoint;
}

/**
 * The single-endpoint API of before (`PUT /v3/webhook`): sets the project's first endpoint's URL with a
 * new secret, or makes it. Projects with several endpoints manage them under /v3/webhooks.
 */
export async function setFirstWebhookEndpoint(deps: Deps, project: Project, urlText: string): Promise<WebhookEndpoint> {
  const [first] = await deps.store.webhooks.endpoints(project.id);
  if (!first) return createWebhookEndpoint(deps, project, { url: urlText });
  return updateWebhookEndpoint(deps, project, first.id, { url: urlText, rotateSecret: true });
}

/** Sends a delivery again, as a new delivery of the same event to the same endpoint. */
export async function resendWebhookDelivery(deps: Deps, project: Project, deliveryId: string): Promise<WebhookDelivery> {
  const resent = await deps.store.webhooks.resend(project.id, deliveryId, newId('msg'), deps.now());
  if (!resent) throw new AppError('NOT_FOUND', `No webhook delivery ${deliveryId} to an endpoint of this project`);
  return resent;
}
