import type { Store, WebhookEndpoint } from '@vigil/store';

/** How long a node trusts what it read of a project's endpoints; a write on this node forgets at once. */
const TTL_MS = 2_000;
const MAX_PROJECTS = 10_000;

/**
 * The projects' webhook endpoints, read once per project every two seconds rather than at every event:
 * `evaluation.created` may be subscribed, and the evaluation path must not pay a query to learn that
 * nobody is. A change made on another node is seen within the two seconds (as policies without Redis).
 */
export class WebhookEndpointCache {
  private readonly entries = new Map<string, { endpoints: WebhookEndpoint[]; until: number }>();

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  async subscribed(projectId: string, event: string): Promise<WebhookEndpoint[]> {
    return (await this.get(projectId)).filter((e) => e.events.includes(event));
  }

  async get(projectId: string): Promise<WebhookEndpoint[]> {
    const cached = this.entries.get(projectId);
    if (cached && cached.until > this.now()) return cached.endpoints;
    const endpoints = await this.store.webhooks.endpoints(projectId);
    if (this.entries.size >= MAX_PROJECTS) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(projectId, { endpoints, until: this.now() + TTL_MS });
    return endpoints;
  }

  forget(projectId: string): void {
    this.entries.delete(projectId);
  }
}
