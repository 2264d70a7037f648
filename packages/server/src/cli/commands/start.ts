import type { Config } from '../../config/config.js';
import { startServer } from '../../server.js';
import { parse } from '../args.js';
import type { Io } from '../main.js';

export async function start(config: Config, args: string[], io: Io): Promise<number> {
  parse(args, {});
  // Finish in-flight requests and close the database cleanly on Ctrl-C or a service manager's stop.
  // Listened for before starting: a stop that arrives while the server starts (a supervisor that gave
  // up, a test that read "listening" and stopped at once) waits for the start and then closes it,
  // instead of killing the process half-way.
  let stopRequested!: () => void;
  const stopped = new Promise<void>((resolve) => (stopRequested = resolve));
  const stop = () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    stopRequested();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const server = await startServer(config, { logger: true, print: io.out });
  await stopped;
  await server.close().catch(() => undefined);
  return 0;
}
