import { createClient } from '@redis/client';

/** A connection to the shared Redis (REDIS_URL). */
export type Redis = ReturnType<typeof createClient>;

export interface RedisLog {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * Opens a connection to REDIS_URL that fails fast and heals itself:
 * - commands sent while it is down are refused at once (no offline queue), and a command without an
 *   answer within 2 s is refused too, so a request answers `503 UNAVAILABLE` instead of hanging;
 * - it reconnects on its own (every 50 ms, backing off to 1 s), and a ping each second notices a
 *   connection that died silently.
 * An outage is logged when it starts and when it ends, not once per retry. Resolves once connected, or
 * after `waitMs` with the connection still trying (a node starts while Redis is down and recovers).
 */
export async function connectRedis(url: string, log: RedisLog, options: { waitMs?: number; name?: string } = {}): Promise<Redis> {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    pingInterval: 1_000,
    commandOptions: { timeout: 2_000, rejectInFlight: true },
    socket: { connectTimeout: 2_000, reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1_000) },
  });
  const what = options.name ?? 'Redis';
  let down = false;
  // Without a listener an 'error' would end the process; errors while down are the same outage.
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    log.warn(`${what} is unreachable (${err.message || err.name}); evaluations answer 503 until it is back`);
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    log.info(`${what} is reachable again`);
  });
  const connected = client.connect().then(
    () => true,
    () => false,
  );
  const waited = await Promise.race([connected, new Promise<false>((resolve) => setTimeout(resolve, options.waitMs ?? 5_000, false).unref())]);
  if (!waited) log.warn(`${what} did not answer within ${Math.round((options.waitMs ?? 5_000) / 1000)} s; starting anyway, and connecting in the background`);
  return client as Redis;
}

/** Closes a connection however it stands (connected, reconnecting, or never connected). */
export async function closeRedis(client: Redis): Promise<void> {
  if (!client.isOpen) return;
  // A connection that is down would wait for nothing: drop it at once.
  if (!client.isReady) return client.destroy();
  await client.close().catch(() => client.destroy());
}
