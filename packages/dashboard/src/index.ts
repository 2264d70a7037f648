import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Where the built SPA is (`npm run build` makes it with Vite), for the server to serve at `/dashboard`;
 * null when it has not been built.
 */
export function dashboardAssetsDir(): string | null {
  const dir = fileURLToPath(new URL('../app-dist/', import.meta.url));
  return existsSync(`${dir}index.html`) ? dir : null;
}
