import type { Config } from '../../config/config.js';
import { LIVE_MS } from '../../cluster/heartbeat.js';
import { parse } from '../args.js';
import type { Io } from '../main.js';
import { withStore } from './project.js';

/** `vigil nodes`: the servers heard from on this database lately, from their heartbeat rows. */
export async function nodes(config: Config, args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean', default: false } });
  const now = Date.now();
  const live = await withStore(config, (store) => store.nodes.live(now - LIVE_MS));
  if (values.json) {
    io.out(
      JSON.stringify(
        live.map((n) => ({ name: n.name, started_at: new Date(n.startedAt).toISOString(), last_seen_at: new Date(n.lastSeenAt).toISOString(), shares_state: n.sharesState })),
      ),
    );
    return 0;
  }
  if (live.length === 0) {
    io.out(`No node has written a heartbeat in the last ${LIVE_MS / 1000} s: no server is running on this database.`);
    return 0;
  }
  for (const n of live) {
    io.out(
      `${n.name}  up since ${new Date(n.startedAt).toISOString()}  seen ${Math.max(0, Math.round((now - n.lastSeenAt) / 1000))} s ago  ${n.sharesState ? 'shares state through Redis' : 'no REDIS_URL'}`,
    );
  }
  // The same judgement the nodes make at start: several on one database need one Redis between them.
  if (live.length > 1 && live.some((n) => !n.sharesState))
    io.out('Several nodes share this database and not all have REDIS_URL: their rate limits and login attempts are counted per node (docs/deploy.md).');
  return 0;
}
