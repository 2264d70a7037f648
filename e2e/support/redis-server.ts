import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerOutput, type ServerRun, launchOnAFreePort, ownServer, testServers, untilReady } from './test-servers.js';

export interface RedisServer {
  /** redis://127.0.0.1:PORT */
  url: string;
  port: number;
  /** The running server's process id (null while stopped): benchmarks read its CPU time. */
  pid: () => number | null;
  /** The output of every run of the server so far (the last 64 KB of it). */
  output: () => string;
  /** SIGTERM (Redis shuts down without saving: there are no save points); resolves once the process exited. */
  stop(): Promise<void>;
  /** Starts the server again, on the same port; resolves once it answers PING. */
  start(): Promise<void>;
  /** SIGKILL: no shutdown at all; resolves once the process is gone. */
  kill(): Promise<void>;
  /** Stops the server if it runs and removes its directory. */
  close(): Promise<void>;
}

const redisBin = process.env.VIGIL_TEST_REDIS_SERVER ?? 'redis-server';
const readyTimeoutMs = 10_000;
const stopTimeoutMs = 10_000;

/**
 * A real `redis-server` of its own, on a free port, as a child process of the test (not daemonized), with
 * no persistence: a test can stop, kill and start it again on the same port to test how Vigil lives
 * through a Redis outage.
 */
export async function startRedis(): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-redis-'));
  testServers.unclosedDirs.add(dir);
  const output = new ServerOutput();
  let run: ServerRun | undefined;
  let port = 0;

  const launch = async (): Promise<void> => {
    const proc = spawn(redisBin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const thisRun = ownServer('redis-server', proc, output, () => {
      if (run?.process === proc) run = undefined;
    });
    run = thisRun;
    await untilReady(thisRun, () => answersPing(port), {
      what: `redis-server on port ${port}`,
      timeoutMs: readyTimeoutMs,
      intervalMs: 50,
      output,
      giveUp: () => stopRun('SIGKILL'),
    });
  };

  const stopRun = async (signal: NodeJS.Signals): Promise<void> => {
    if (!run) return;
    const { process: proc, exited } = run;
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), stopTimeoutMs);
    await exited;
    clearTimeout(timer);
  };

  try {
    port = await launchOnAFreePort(
      (free) => {
        port = free;
        return launch();
      },
      () => /Address already in use/i.test(output.text),
    );
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    testServers.unclosedDirs.delete(dir);
    throw error;
  }

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: () => run?.process.pid ?? null,
    output: () => output.text,
    stop: () => stopRun('SIGTERM'),
    kill: () => stopRun('SIGKILL'),
    start: async () => {
      if (run) throw new Error(`redis-server on port ${port} is already running`);
      await launch();
    },
    close: async () => {
      await stopRun('SIGTERM');
      await rm(dir, { recursive: true, force: true });
      testServers.unclosedDirs.delete(dir);
    },
  };
}

/** Whether a Redis answers `PING` with `+PONG` on 127.0.0.1:port (within a second). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), 1_000);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += String(chunk);
      // `-LOADING …` and other errors: not ready yet.
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
    socket.once('error', () => finish(false));
    socket.once('close', () => finish(false));
  });
}
