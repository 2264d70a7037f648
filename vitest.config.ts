import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests import each package's source (not its dist) so a test run never reads a stale build.
const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@vigil/core': src('core'),
      '@vigil/intel': src('intel'),
      '@vigil/store': src('store'),
      '@vigil/server': src('server'),
      '@vigil/api': src('sdk-node'),
      '@vigil/client': src('sdk-browser'),
      '@vigil/dashboard': src('dashboard'),
    },
  },
  test: {
    globalSetup: ['./vitest.global-setup.ts'],
    include: ['packages/*/src/**/*.test.ts', 'e2e/**/*.test.ts', 'examples/*/**/*.test.ts', 'bench/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // PostgreSQL, SQLite files and Chromium are real: keep parallelism within the 2-core machine.
    maxWorkers: 2,
  },
});
