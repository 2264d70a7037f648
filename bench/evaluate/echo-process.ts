import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Target } from './requests.js';

export interface RunningEcho extends Target {
  stop(): Promise<void>;
}

const script = fileURLToPath(new URL('echo-server.mjs', import.meta.url));

/** Starts echo-server.mjs in its own process (so its CPU and memory are its own) and waits until it listens. */
export function startEcho(): Promise<RunningEcho> {
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
  // Its request log is read and dropped, as Vigil's is: a pipe nobody drains would block the server.
  let tail = '';
  const onData = (chunk: Buffer) => {
    tail = (tail + String(chunk)).slice(-4000);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the echo server did not listen within 20 s:\n${tail}`));
    }, 20_000);
    const onListening = () => {
      const url = /listening on (http:\/\/\S+)/.exec(tail)?.[1];
      if (!url) return;
      clearTimeout(timer);
      child.stdout.off('data', onListening);
      resolve({
        url,
        pid: child.pid!,
        headers: { 'content-type': 'application/json' },
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    };
    child.stdout.on('data', onListening);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the echo server exited before listening:\n${tail}`));
    });
  });
}
