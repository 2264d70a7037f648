import type { Store } from '@vigil/store';
import type { Config } from '../../config/config.js';
import { openConfiguredStore } from '../../server.js';
import { createProject } from '../../use-cases/create-project.js';
import { UsageError, parse } from '../args.js';
import type { Io } from '../main.js';

/** Opens the server's database (migrating it, so the CLI works before the first `vigil start`). */
export async function withStore<T>(config: Config, run: (store: Store) => Promise<T>): Promise<T> {
  const store = await openConfiguredStore(config);
  try {
    await store.migrate();
    return await run(store);
  } finally {
    await store.close();
  }
}

export async function projectCreate(config: Config, args: string[], io: Io): Promise<number> {
  const { values } = parse(args, {
    name: { type: 'string' },
    origin: { type: 'string', multiple: true },
    json: { type: 'boolean', default: false },
  });
  if (values.name === undefined) throw new UsageError('--name NAME is required');
  const created = await withStore(config, (store) =>
    createProject({ store, now: Date.now }, { name: values.name as string, origins: (values.origin as string[] | undefined) ?? [] }),
  );
  if (values.json) {
    io.out(JSON.stringify({ id: created.project.id, client_id: created.project.clientId, secret_key: created.secretKey }));
  } else {
    io.out(
      [
        `Created the project "${created.project.name}" (${created.project.id}).`,
        `  client id        ${created.project.clientId}`,
        `  secret key       ${created.secretKey}   (shown this once)`,
        `  allowed origins  ${created.project.allowedOrigins.join(', ') || '(any)'}`,
      ].join('\n'),
    );
  }
  return 0;
}

export async function projectList(config: Config, args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean', default: false } });
  const projects = await withStore(config, (store) => store.projects.list());
  if (values.json) {
    io.out(JSON.stringify(projects.map((p) => ({ id: p.id, name: p.name, client_id: p.clientId, allowed_origins: p.allowedOrigins }))));
  } else if (projects.length === 0) {
    io.out('No projects yet: `vigil project create --name NAME`, or `vigil start` creates a default one.');
  } else {
    for (const p of projects) io.out(`${p.id}  ${p.clientId}  ${p.name}  origins: ${p.allowedOrigins.join(', ') || '(any)'}`);
  }
  return 0;
}
