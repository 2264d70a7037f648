import type { Config } from '../../config/config.js';
import { openConfiguredStore } from '../../server.js';
import { parse } from '../args.js';
import type { Io } from '../main.js';

export async function migrate(config: Config, args: string[], io: Io): Promise<number> {
  parse(args, {});
  const store = await openConfiguredStore(config);
  try {
    const applied = await store.migrate();
    io.out(applied.length === 0 ? 'The database is up to date.' : `Applied: ${applied.join(', ')}`);
    return 0;
  } finally {
    await store.close();
  }
}
