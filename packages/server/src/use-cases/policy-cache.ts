import type { Environment, Store, StoredPolicy } from '@vigil/store';

/**
 * The policies of each project and environment, kept between evaluations: loading them is a query, and
 * the same objects let core reuse its compiled conditions. A write on this node drops the entry at once;
 * a write on another node is seen within `ttlMs` (ARCHITECTURE.md plans Redis pub/sub for that).
 */
export class PolicyCache {
  readonly #entries = new Map<string, { policies: StoredPolicy[]; loadedAt: number }>();

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly ttlMs = 2_000,
  ) {}

  async get(projectId: string, environment: Environment): Promise<StoredPolicy[]> {
    const key = `${projectId}:${environment}`;
    const entry = this.#entries.get(key);
    const now = this.now();
    // Also reload when the clock went back (tests move it), rather than trust an entry from the future.
    if (entry && now - entry.loadedAt < this.ttlMs && now >= entry.loadedAt) return entry.policies;
    const policies = await this.store.policies.list(projectId, environment);
    this.#entries.set(key, { policies, loadedAt: now });
    return policies;
  }

  invalidate(projectId: string): void {
    for (const key of this.#entries.keys()) if (key.startsWith(`${projectId}:`)) this.#entries.delete(key);
  }
}
