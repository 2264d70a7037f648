import type { Environment } from '@vigil/store';
import type { Config } from '../../config/config.js';
import { UsageError, parse, parseDuration } from '../args.js';
import type { Io } from '../main.js';
import { pickProject } from './pick-project.js';
import { withStore } from './project.js';

export async function keyRotate(config: Config, args: string[], io: Io): Promise<number> {
  const { values } = parse(args, {
    project: { type: 'string' },
    environment: { type: 'string', default: 'production' },
    grace: { type: 'string', default: '0' },
    json: { type: 'boolean', default: false },
  });
  const environment = values.environment as string;
  if (environment !== 'production' && environment !== 'development') throw new UsageError('--environment is production or development');
  const graceMs = parseDuration(values.grace as string);
  const { project, secretKey } = await withStore(config, async (store) => {
    const project = await pickProject(store, values.project as string | undefined);
    const secretKey = await store.projects.rotateSecretKey({ projectId: project.id, environment: environment as Environment, now: Date.now(), graceMs });
    return { project, secretKey };
  });
  if (values.json) {
    io.out(JSON.stringify({ project: project.id, environment, secret_key: secretKey }));
  } else {
    io.out(
      [
        `New ${environment} secret key for "${project.name}" (${project.id}):`,
        `  ${secretKey}   (shown this once)`,
        graceMs === 0 ? 'The previous key no longer works.' : `The previous key keeps working for ${values.grace as string}.`,
      ].join('\n'),
    );
  }
  return 0;
}
