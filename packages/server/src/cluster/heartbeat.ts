import { hostname } from 'node:os';
import type { LiveNode, Store } from '@vigil/store';

/** This running server, as the other nodes on its database know it. */
export interface ThisNode {
  id: string;
  name: string;
  startedAt: number;
  /** Whether it shares rate limits and change notices through Redis (REDIS_URL). */
  sharesState: boolean;
}

export interface HeartbeatLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface Heartbeat {
  /** Stops beating and removes this node's row (a node that is killed leaves it to go stale). */
  stop(): Promise<void>;
}

/** Beats this often; a node silent for `LIVE_MS` is no longer counted as live. */
export const BEAT_MS = 5_000;
export const LIVE_MS = 15_000;

export const defaultNodeName = (): string => `${hostname()}:${process.pid}`;

/**
 * Writes this node's heartbeat row every few seconds and watches for others. Nodes on one database that
 * do not all share state through Redis cannot keep their promises (each has its own rate-limit
 * allowance, its own dashboard login brake, and sees another's policy writes only after 2 s), so that
 * is said plainly, at start and whenever another node appears, naming them. A beat that fails (the
 * database is down) is retried at the next one.
 */
export async function startHeartbeat(store: Store, node: ThisNode, now: () => number, log: HeartbeatLog): Promise<Heartbeat> {
  const warned = new Set<string>();
  let failing = false;
  const beat = async () => {
    try {
      await store.nodes.beat(node, now());
      const others = (await store.nodes.live(now() - LIVE_MS)).filter((n) => n.id !== node.id);
      if (failing) log.info('heartbeat written again');
      failing = false;
      const fresh = others.filter((n) => !warned.has(n.id));
      if (fresh.length > 0 && (!node.sharesState || others.some((n) => !n.sharesState))) {
        for (const n of fresh) warned.add(n.id);
        log.warn(sharedWithoutRedis(node, others));
      }
    } catch (err) {
      if (!failing) log.warn(`heartbeat not written (${(err as Error).message}); retrying every ${BEAT_MS / 1000} s`);
      failing = true;
    }
  };
  await beat();
  let beating: Promise<void> | null = null;
  const timer = setInterval(() => {
    beating ??= beat().finally(() => (beating = null));
  }, BEAT_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await beating;
      await store.nodes.leave(node.id, now() - 24 * 3_600_000).catch(() => undefined);
    },
  };
}

function sharedWithoutRedis(node: ThisNode, others: LiveNode[]): string {
  const without = [...(node.sharesState ? [] : [`${node.name} (this node)`]), ...others.filter((n) => !n.sharesState).map((n) => n.name)];
  return [
    `This database is shared with ${others.length} other live node${others.length === 1 ? '' : 's'} (${others.map((n) => n.name).join(', ')}),`,
    `and ${without.join(', ')} ${without.length === 1 ? 'has' : 'have'} no REDIS_URL: rate limits and dashboard login attempts are then counted per node`,
    'and a policy change reaches the other nodes only within 2 s. Set the same REDIS_URL on every node (docs/deploy.md).',
  ].join(' ');
}
