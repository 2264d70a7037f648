import type { Environment, Store, StoredPolicy } from '@vigil/store';
import type { ChangeNotices } from '../cluster/change-notices.js';

/**
 * The policies of each project and environment, kept between evaluations: loading them is a query, and
 * the same objects let core reuse its compiled conditions. A write on this node drops the entry at once;
 * with REDIS_URL a write on another node does too (a change notice, within milliseconds), and in any
 * case within `ttlMs`: the bound for a notice lost in an outage, a node without Redis, or the CLI.
 */
export class PolicyCache {
  #notices: ChangeNotices | null = null;
  /** Counts what was forgotten, so a load that raced with a change does not keep what it read. */
  #generation = 0;

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
    const generation = this.#generation;
    const policies = await this.store.policies.list(projectId, environment);
    // A change heard while this load was in flight may be newer than what it read: use it, keep it not.
    if (generation === this.#generation) this.#entries.set(key, { policies, loadedAt: now });
    return policies;
  }

  /** After a write to a project's policies: this node forgets them, and tells the others to. */
  invalidate(projectId: string): void {
    this.#forget(projectId);
    this.#notices?.policiesChanged(projectId);
  }

  /** Hears other nodes' writes from now on. */
  listen(notices: ChangeNotices): void {
    this.#notices = notices;
    notices.onPoliciesChanged((projectId) => {
      if (projectId !== null) return this.#forget(projectId);
      this.#generation++;
      this.#entries.clear();
    });
  }

  #forget(projectId: string): void {
    this.#generation++;
    for (const key of this.#entries.keys()) if (key.startsWith(`${projectId}:`)) this.#entries.delete(key);
  }
}
