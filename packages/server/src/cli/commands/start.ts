import type { Config } from '../../config/config.js';
import { startServer } from '../../server.js';
import { parse } from '../args.js';
import type { Io } from '../main.js';

export async function start(config: Config, args: string[], io: Io): Promise<number> {
  parse(args, {});
  const server = await startServer(config, { logger: true, print: io.out });
  // Finish in-flight requests and close the database cleanly on Ctrl-C or a service manager's stop.
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      server.close().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}
