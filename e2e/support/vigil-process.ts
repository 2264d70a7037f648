import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// End-to-end tests run the built `vigil` command as a user would. `npm test` builds first; if the build
// is missing, say so rather than fail obscurely.
export const vigilBin = fileURLToPath(new URL('../../node_modules/.bin/vigil', import.meta.url));
if (!existsSync(fileURLToPath(new URL('../../packages/server/dist/cli/main.js', import.meta.url)))) {
  throw new Error('packages/server/dist is missing: run `npm run build` (npm test does it) before the e2e tests');
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `vigil …` to completion; `input` is written to its standard input (which is then closed). */
export function runVigil(args: string[], env: Record<string, string>, input?: string): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(vigilBin, args, { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    child.stdin?.end(input ?? '');
  });
}

export interface RunningVigil {
  url: string;
  output: () => string;
  stop(): Promise<number | null>;
}

/** Starts `vigil start` on a free port and resolves once it says it is listening. */
export function startVigil(env: Record<string, string>): Promise<RunningVigil> {
  const child: ChildProcess = spawn(vigilBin, ['start'], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`vigil start did not listen within 45 s:\n${output}`));
    }, 45_000);
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      const match = /Vigil is listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({
          url: match[1],
          output: () => output,
          stop: async () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`vigil start exited (${code}) before listening:\n${output}`));
    });
  });
}
