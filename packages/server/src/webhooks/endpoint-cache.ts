import type { Store, WebhookEndpoint } from '@vigil/store';

/** How long a node trusts what it read of a project's endpoints; a write on this node forgets at once. */
const TTL_MS = 2_000;
const MAX_PROJECTS = 10_000;

/**
 * The projects' webhook endpoints, read once per project every two seconds rather than at every event:
 * `evaluation.created` may be subscribed, and the evaluation path must not pay a query to learn that
 * nobody is. A change made on another node is seen within the two seconds (as policies without Redis).
 * When an entry runs out under load, the evaluations in flight wait for one read together rather than
 * each reading (at 2,500/s that was a read per evaluation for as long as the first took).
 */
export class WebhookEndpointCache {
  private readonly entries = new Map<string, { endpoints: WebhookEndpoint[]; until: number }>();
  private readonly loading = new Map<string, Promise<WebhookEndpoint[]>>();
  /** Counts what was forgotten, so that a read which overlapped a write does not keep what it read. */
  private generation = 0;

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  async subscribed(projectId: string, event: string): Promise<WebhookEndpoint[]> {
    return (await this.get(projectId)).filter((e) => e.events.includes(event));
  }

  get(projectId: string): Promise<WebhookEndpoint[]> {
    const cached = this.entries.get(projectId);
    if (cached && cached.until > this.now()) return Promise.resolve(cached.endpoints);
    return this.loading.get(projectId) ?? this.load(projectId);
  }

  forget(projectId: string): void {
    this.generation++;
    this.entries.delete(projectId);
    // A read begun before the write may not have seen it: whoever asks next reads anew.
    this.loading.delete(projectId);
  }

  private load(projectId: string): Promise<WebhookEndpoint[]> {
    const generation = this.generation;
    const load = this.store.webhooks
      .endpoints(projectId)
      .then((endpoints) => {
        if (generation === this.generation) {
          if (this.entries.size >= MAX_PROJECTS && !this.entries.has(projectId)) this.entries.delete(this.entries.keys().next().value!);
          this.entries.set(projectId, { endpoints, until: this.now() + TTL_MS });
        }
        return endpoints;
      })
      .finally(() => {
        if (this.loading.get(projectId) === load) this.loading.delete(projectId);
      });
    this.loading.set(projectId, load);
    return load;
  }
}
