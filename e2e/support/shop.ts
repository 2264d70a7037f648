import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// The example is plain JavaScript, as a newcomer would copy it.
// @ts-expect-error no type declarations for the example's server module
import { createExampleServer } from '../../examples/login/server.js';
import { freePort } from './free-port.js';
import { type RunningVigil, runVigil, startVigil } from './vigil-process.js';

export interface ShopWithVigil {
  vigil: RunningVigil;
  shopUrl: string;
  /** The project `vigil project create --json` printed, allowing the shop's origin only. */
  project: { id: string; client_id: string; secret_key: string };
  /** Calls Vigil's server API with the project's secret key: `{ status, body }` (body null for a 204). */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

/** An example app's server factory (they all take Vigil's URL and the project's keys). */
export type ExampleFactory = (options: { vigilUrl: string; clientId: string; secretKey: string }) => Server;

/**
 * A real Vigil process on a fresh data directory, a project made by the CLI for the shop's origin, and
 * an example app's backend (the login shop unless told) on its own port: the setup every end-to-end test of a login starts from.
 */
export async function startShopWithVigil(
  name: string,
  env: Record<string, string> = {},
  app: ExampleFactory = createExampleServer,
  /** `anyOrigin`: the project lists no allowed origins, as the default project does. */
  options: { anyOrigin?: boolean } = {},
): Promise<ShopWithVigil> {
  const dataDir = mkdtempSync(join(tmpdir(), `vigil-${name}-`));
  const shopPort = await freePort();
  const shopUrl = `http://127.0.0.1:${shopPort}`;
  const created = await runVigil(['project', 'create', '--name', 'Example shop', ...(options.anyOrigin ? [] : ['--origin', shopUrl]), '--json'], { VIGIL_DATA_DIR: dataDir });
  if (created.code !== 0) throw new Error(`vigil project create failed: ${created.stderr}`);
  const project = JSON.parse(created.stdout);
  const vigil = await startVigil({ VIGIL_DATA_DIR: dataDir, ...env });
  const shop: Server = app({ vigilUrl: vigil.url, clientId: project.client_id, secretKey: project.secret_key });
  await new Promise<void>((resolve) => shop.listen(shopPort, '127.0.0.1', resolve));
  return {
    vigil,
    shopUrl,
    project,
    api: async (method, path, body) => {
      const res = await fetch(`${vigil.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${project.secret_key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: res.status === 204 ? null : await res.json() };
    },
    stop: async () => {
      await new Promise((resolve) => shop.close(resolve));
      await vigil.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
