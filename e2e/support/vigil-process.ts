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
  /** The process id of the `vigil start` process. */
  pid: number;
  output: () => string;
  /** SIGTERM, then its exit code once it exited. */
  stop(): Promise<number | null>;
  /** Sends `signal` (SIGKILL by default: no shutdown at all) and resolves once the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface StartOptions {
  /**
   * Keep only about this many of the last characters of the output. A benchmark at LOG_LEVEL=info logs
   * every request, and keeping a million requests' log in this process would measure its memory instead.
   */
  keepOutputChars?: number;
}

/** Starts `vigil start` on a free port and resolves once it says it is listening. */
export function startVigil(env: Record<string, string>, options: StartOptions = {}): Promise<RunningVigil> {
  const child: ChildProcess = spawn(vigilBin, ['start'], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const exited = ended.then(({ code }) => code);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`vigil start did not listen within 45 s:\n${output}`));
    }, 45_000);
    const keep = options.keepOutputChars;
    let listening = false;
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      if (keep !== undefined && output.length > 2 * keep) output = output.slice(-keep);
      // Looked for until found, then never again: a benchmark's load generator runs in this process, and
      // searching the whole kept output at every chunk of a log line per request made it fall behind.
      if (listening) return;
      const match = /Vigil is listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        listening = true;
        clearTimeout(timer);
        resolve({
          url: match[1],
          pid: child.pid!,
          output: () => output,
          stop: async () => {
            child.kill('SIGTERM');
            return exited;
          },
          kill: async (signal = 'SIGKILL') => {
            child.kill(signal);
            return ended;
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
