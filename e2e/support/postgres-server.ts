import { execFile, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { chown, mkdtemp, readFile, readlink, readdir, realpath, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ServerOutput, type ServerRun, launchOnAFreePort, ownServer, sleep, testServers, untilReady } from './test-servers.js';

export interface PostgresServer {
  /** postgres://postgres@127.0.0.1:PORT/postgres (trust authentication) */
  url: string;
  port: number;
  /** The data directory (also the directory of the Unix socket). */
  dir: string;
  /** The output of initdb and of every run of the server so far (the last 64 KB of it). */
  output: () => string;
  /** Fast shutdown (SIGINT to the postmaster); resolves once every process of the server exited. */
  stop(): Promise<void>;
  /** Starts the server again, on the same port and data directory; resolves once it answers `SELECT 1`. */
  start(): Promise<void>;
  /**
   * SIGKILL to the postmaster and its backends, as a crash of the machine would: no shutdown checkpoint,
   * and the next start() recovers from the WAL. Resolves once every process of the server is gone.
   */
  kill(): Promise<void>;
  /** Stops the server if it runs and removes its data directory. */
  close(): Promise<void>;
}

const readyTimeoutMs = 20_000;
const stopTimeoutMs = 30_000;

/** The bin directory of the newest PostgreSQL installed (VIGIL_TEST_POSTGRES_BIN overrides it). */
function postgresBinDir(): string {
  if (process.env.VIGIL_TEST_POSTGRES_BIN) return process.env.VIGIL_TEST_POSTGRES_BIN;
  const root = '/usr/lib/postgresql';
  let versions: string[];
  try {
    versions = readdirSync(root).filter((name) => /^\d+(\.\d+)?$/.test(name));
  } catch {
    versions = [];
  }
  versions.sort((a, b) => Number(b) - Number(a));
  if (!versions[0]) throw new Error(`no PostgreSQL under ${root} (set VIGIL_TEST_POSTGRES_BIN to its bin directory)`);
  return join(root, versions[0], 'bin');
}

/**
 * PostgreSQL refuses to run as root: then initdb and postgres run as the `postgres` OS user. The processes
 * are spawned with that uid and gid directly rather than through `runuser`, so that the test's child
 * process is the postmaster itself: `runuser` stays in between as a parent that does not pass SIGINT (the
 * fast shutdown) on, and would not let a test SIGKILL the postmaster.
 */
async function serverUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) =>
    new Promise<number>((resolve, reject) =>
      execFile('id', [flag, 'postgres'], (error, stdout) =>
        error ? reject(new Error(`no postgres OS user to run PostgreSQL as root: ${error.message}`)) : resolve(Number(stdout.trim())),
      ),
    );
  return { uid: await id('-u'), gid: await id('-g') };
}

/**
 * A real PostgreSQL server of its own: a fresh cluster (initdb, trust authentication) in a temporary
 * directory, its postmaster a child process of the test on a free port. A test can stop, kill and start
 * it again on the same port and data directory to test how Vigil lives through a database outage.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const user = await serverUser();
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'vigil-pg-')));
  testServers.unclosedDirs.add(dir);
  const output = new ServerOutput();
  let child: ServerRun | undefined;
  let port = 0;
  const env = { PATH: process.env.PATH ?? '', LC_ALL: 'C' };

  const launch = async (): Promise<void> => {
    await removeStalePidFile(dir);
    const args = ['-D', dir, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1'];
    // dynamic_shared_memory_type=mmap keeps the dynamic shared memory in the data directory rather than
    // /dev/shm, so that even a killed server leaves nothing behind once its directory is removed.
    for (const setting of ['fsync=off', 'full_page_writes=off', 'max_connections=100', 'dynamic_shared_memory_type=mmap']) args.push('-c', setting);
    const proc = spawn(join(bin, 'postgres'), args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'], ...user });
    const run = ownServer('postgres', proc, output, () => {
      if (child?.process === proc) child = undefined;
    });
    child = run;
    await untilReady(run, () => answersSelect(port), { what: `postgres on port ${port}`, timeoutMs: readyTimeoutMs, intervalMs: 100, output, giveUp: () => stopChild('kill') });
  };

  const stopChild = async (how: 'stop' | 'kill'): Promise<void> => {
    if (child) {
      const { process: proc, exited } = child;
      if (how === 'kill') {
        proc.kill('SIGKILL');
        await killAll(dir);
      } else {
        proc.kill('SIGINT'); // fast shutdown: roll back open transactions, disconnect clients, checkpoint
      }
      const timer = setTimeout(() => {
        output.append(`\n[postgres did not stop within ${stopTimeoutMs / 1000} s: SIGKILL]\n`);
        proc.kill('SIGKILL');
      }, stopTimeoutMs);
      await exited;
      clearTimeout(timer);
    }
    // The postmaster is gone; make sure its backends are too (after a SIGKILL they are not its children
    // any more, and each exits on its own once it notices).
    const deadline = Date.now() + 10_000;
    while ((await clusterProcesses(dir)).length > 0) {
      if (Date.now() > deadline) {
        await killAll(dir);
        if (Date.now() > deadline + 5_000) throw new Error(`processes of the PostgreSQL in ${dir} do not exit: ${(await clusterProcesses(dir)).join(', ')}`);
      }
      await sleep(50);
    }
  };

  try {
    if (user) await chown(dir, user.uid, user.gid);
    await new Promise<void>((resolve, reject) =>
      execFile(
        join(bin, 'initdb'),
        ['-D', dir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'],
        { cwd: dir, env, timeout: 60_000, ...user },
        (error, stdout, stderr) => {
          output.append(stdout + stderr);
          if (error) reject(new Error(`initdb failed (${error.message}):\n${output.text}`));
          else resolve();
        },
      ),
    );
    // Another process may take the free port before PostgreSQL binds it: then try another one.
    port = await launchOnAFreePort(
      (free) => {
        port = free;
        return launch();
      },
      () => /could not bind|Address already in use/i.test(output.text),
    );
  } catch (error) {
    await stopChild('kill').catch(() => {});
    await rm(dir, { recursive: true, force: true });
    testServers.unclosedDirs.delete(dir);
    throw error;
  }

  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    output: () => output.text,
    stop: () => stopChild('stop'),
    kill: () => stopChild('kill'),
    start: async () => {
      if (child) throw new Error(`postgres on port ${port} is already running`);
      await launch();
    },
    close: async () => {
      await stopChild('stop');
      await removeSharedMemory(dir);
      await rm(dir, { recursive: true, force: true });
      testServers.unclosedDirs.delete(dir);
    },
  };
}

/** Whether a PostgreSQL on 127.0.0.1:port answers `SELECT 1` (it refuses while it starts or recovers). */
async function answersSelect(port: number): Promise<boolean> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 2_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The live processes of the PostgreSQL whose data directory is `dir`: a postmaster and its backends all
 * work in their data directory, and so are found even once they are orphans (zombies have no working
 * directory, and are not counted).
 */
async function clusterProcesses(dir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const name of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(name)) continue;
    const cwd = await readlink(`/proc/${name}/cwd`).catch(() => undefined);
    if (cwd === dir) pids.push(Number(name));
  }
  return pids;
}

async function killAll(dir: string): Promise<void> {
  for (const pid of await clusterProcesses(dir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * After a kill, postmaster.pid names a process that is gone. PostgreSQL would find out itself, unless
 * the pid was given to another process meanwhile: remove the file when no process of this cluster runs.
 */
async function removeStalePidFile(dir: string): Promise<void> {
  const pidFile = join(dir, 'postmaster.pid');
  const text = await readFile(pidFile, 'utf8').catch(() => undefined);
  if (text === undefined) return;
  const pid = Number(text.split('\n')[0]);
  if ((await clusterProcesses(dir)).includes(pid)) return; // a live postmaster: let postgres say so
  await unlink(pidFile).catch(() => {});
}

/**
 * A killed server leaves its (small) System V shared memory segment behind; the next start removes it,
 * but a server killed and then closed would leak it. postmaster.pid names it on its 7th line ("key id");
 * it is removed only if `ipcs` still shows that key with that id and no process attached.
 */
async function removeSharedMemory(dir: string): Promise<void> {
  const text = await readFile(join(dir, 'postmaster.pid'), 'utf8').catch(() => undefined);
  const [key, shmid] = text?.split('\n')[6]?.trim().split(/\s+/) ?? [];
  if (!key || !shmid || !/^\d+$/.test(key) || !/^\d+$/.test(shmid)) return;
  const listing = await new Promise<string>((resolve) => execFile('ipcs', ['-m'], (error, stdout) => resolve(error ? '' : stdout)));
  const ours = listing.split('\n').some((line) => {
    const [k, id, , , , nattch] = line.trim().split(/\s+/);
    return k !== undefined && /^0x[0-9a-f]+$/i.test(k) && Number.parseInt(k, 16) === Number(key) && id === shmid && nattch === '0';
  });
  if (ours) await new Promise<void>((resolve) => execFile('ipcrm', ['-m', shmid], () => resolve()));
}
