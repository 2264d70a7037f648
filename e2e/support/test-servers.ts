import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { freePort } from './free-port.js';

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

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What a server said over all its runs: the last 64 KB of it, enough to say why it failed. */
export class ServerOutput {
  #text = '';
  append(text: string): void {
    this.#text += text;
    if (this.#text.length > 2 * 64 * 1024) this.#text = this.#text.slice(-64 * 1024);
  }
  get text(): string {
    return this.#text;
  }
}

/** A run of a server the test owns: its process, and its exit (which never rejects). */
export interface ServerRun {
  process: ChildProcess;
  exited: Promise<void>;
  gone(): boolean;
}

/**
 * Takes charge of a server process just spawned: its output kept, and it killed should the test process
 * exit first. `onExit` runs once it is gone (whether it exited, was killed or could not run at all).
 */
export function ownServer(name: string, proc: ChildProcess, output: ServerOutput, onExit: () => void): ServerRun {
  proc.stdout?.on('data', (chunk: Buffer) => output.append(String(chunk)));
  proc.stderr?.on('data', (chunk: Buffer) => output.append(String(chunk)));
  let gone = false;
  const exited = new Promise<void>((resolve) => {
    const done = (description: string) => {
      if (gone) return;
      gone = true;
      testServers.running.delete(proc);
      onExit();
      output.append(`\n[${name} ${description}]\n`);
      resolve();
    };
    proc.once('exit', (code, signal) => done(`exited: ${signal ?? code}`));
    proc.once('error', (error) => done(`could not run: ${error.message}`));
  });
  testServers.running.add(proc);
  return { process: proc, exited, gone: () => gone };
}

/**
 * Waits until `ready()` answers true, polling every `intervalMs`; fails with the server's output when
 * the run ends first, or (after `giveUp`) when `timeoutMs` passes.
 */
export async function untilReady(
  run: ServerRun,
  ready: () => Promise<boolean>,
  o: { what: string; timeoutMs: number; intervalMs: number; output: ServerOutput; giveUp: () => Promise<void> },
): Promise<void> {
  const deadline = Date.now() + o.timeoutMs;
  for (;;) {
    if (run.gone()) throw new Error(`${o.what} exited before it was ready:\n${o.output.text}`);
    if (await ready()) return;
    if (Date.now() > deadline) {
      await o.giveUp();
      throw new Error(`${o.what} was not ready within ${o.timeoutMs / 1000} s:\n${o.output.text}`);
    }
    await sleep(o.intervalMs);
  }
}

/**
 * Launches on a free port, and on another when a process took that one before the server bound it
 * (`portTaken` reads that from the output), up to three times. Resolves the port it runs on.
 */
export async function launchOnAFreePort(launch: (port: number) => Promise<void>, portTaken: () => boolean): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      await launch(port);
      return port;
    } catch (error) {
      if (attempt < 3 && portTaken()) continue;
      throw error;
    }
  }
}
