import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

/**
 * The servers a test file started itself (redis-server.ts, postgres-server.ts) and their directories.
 * When the test process exits, servers still running are killed and the directories of servers not
 * closed (a test that failed before its close()) removed, so that none outlives the test file.
 */
export const testServers = {
  running: new Set<ChildProcess>(),
  unclosedDirs: new Set<string>(),
};
process.once('exit', () => {
  for (const child of testServers.running) child.kill('SIGKILL');
  for (const dir of testServers.unclosedDirs) rmSync(dir, { recursive: true, force: true });
});

