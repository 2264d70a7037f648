import type { Redis, RedisLog } from './redis.js';
import { closeRedis } from './redis.js';

/**
 * What a node keeps of a project's configuration changed: every node drops its copy. Only policies are
 * kept between requests today (PolicyCache); lists, risks and settings are read at each evaluation, so
 * a write to them is seen by every node at once without a notice.
 */
export interface ChangeNotices {
  /** Tells the other nodes that a project's policies changed. Never throws: a notice lost in an outage is covered by the cache's short lifetime. */
  policiesChanged(projectId: string): void;
  /**
   * Calls `listener` with each project whose policies another node changed, and with `null` when
   * notices may have been missed (the connection came back after an outage): then forget everything.
   */
  onPoliciesChanged(listener: (projectId: string | null) => void): void;
  close(): Promise<void>;
}

const CHANNEL = 'vigil:policies-changed';

/**
 * Change notices over Redis pub/sub. A subscription needs a connection of its own (a subscribed Redis
 * connection takes no other commands), so this holds a second one beside the counters'.
 */
export function redisChangeNotices(client: Redis, log: RedisLog): ChangeNotices {
  const listeners: ((projectId: string | null) => void)[] = [];
  const tell = (projectId: string | null) => {
    for (const listener of listeners) listener(projectId);
  };
  // Queued while down (unlike commands, which are refused at once): the subscription goes out as soon
  // as the connection is up, and node-redis subscribes again by itself after each reconnect.
  const subscriber = client.duplicate({ disableOfflineQueue: false, commandOptions: {} });
  subscriber.on('error', () => undefined); // the outage is logged once, by the main connection
  // What was published while the connection was down is lost: after a reconnect every copy is dropped.
  let connections = 0;
  subscriber.on('ready', () => {
    if (++connections > 1) tell(null);
  });
  subscriber.connect().catch(() => undefined);
  subscriber.subscribe(CHANNEL, (message) => tell(message)).catch((err: Error) => log.warn(`not subscribed to policy change notices (${err.message})`));
  return {
    policiesChanged(projectId) {
      client.publish(CHANNEL, projectId).catch((err: Error) => log.warn(`policy change notice not sent (${err.message}); other nodes see it within 2 s`));
    },
    onPoliciesChanged(listener) {
      listeners.push(listener);
    },
    async close() {
      await closeRedis(subscriber);
    },
  };
}
