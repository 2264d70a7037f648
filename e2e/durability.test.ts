import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningVigil, runVigil, startVigil } from './support/vigil-process.js';

// Nothing acknowledged is lost: a `201` evaluation that reached the backend is a promise that the
// evaluation exists. The server is killed outright (SIGKILL: no shutdown, no flush) while evaluations
// are in flight; after a restart on the same database every acknowledged evaluation can be read, and
// consumed exactly once.

const postgresUrl = process.env.VIGIL_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dirs: string[] = [];
// PostgreSQL schemas made here are dropped when the run ends (vitest.global-setup.ts).
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function environmentFor(backend: 'sqlite' | 'postgres'): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-durability-'));
  dirs.push(dir);
  // Rate limits are not under test here: off, so every request is an evaluation.
  const env: Record<string, string> = { VIGIL_DATA_DIR: dir, VIGIL_RATE_LIMITS: 'off' };
  if (backend === 'postgres') {
    env.DATABASE_URL = postgresUrl;
    env.DATABASE_SCHEMA = `t_e2e_${process.env.VIGIL_TEST_RUN ?? '0'}_${randomBytes(6).toString('hex')}`;
  }
  return env;
}

const LOOPS = 16;
const LOAD_MS = 1_500;
const MIN_ACKNOWLEDGED = 50;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Load {
  /** Evaluation id → the user it was created for, for every 201 whose whole body reached the client. */
  acknowledged: Map<string, string>;
  /** Answers other than 201 that arrived before the kill (not expected, but not what this test is about). */
  otherAnswers: string[];
  /** Requests that never got a complete answer: those in flight at the kill (and any connection error before it). */
  unanswered: number;
  /** Requests sent and not yet settled, now. */
  pending: number;
}

/** LOOPS concurrent loops of evaluations of distinct users until `stopped()`, tallied into `load`. */
async function fireEvaluations(url: string, secretKey: string, load: Load, stopped: () => boolean): Promise<void> {
  const loop = async (n: number) => {
    for (let i = 0; !stopped(); i++) {
      const user = `user_${n}_${i}`;
      load.pending++;
      try {
        const res = await fetch(`${url}/v3/evaluations`, {
          method: 'POST',
          headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ action: 'login', user, email: `${user}@example.com`, ip: `198.51.${n}.${(i % 250) + 1}` }),
        });
        // Acknowledged only once the whole answer arrived: a body cut off by the kill is not a promise.
        const text = await res.text();
        if (res.status === 201) {
          load.acknowledged.set((JSON.parse(text) as { id: string }).id, user);
        } else {
          load.otherAnswers.push(`${res.status} ${text.slice(0, 200)}`);
        }
      } catch {
        load.unanswered++;
      } finally {
        load.pending--;
      }
    }
  };
  await Promise.all(Array.from({ length: LOOPS }, (_, n) => loop(n)));
}

/** Runs `check` over the items, `width` at a time. */
async function inBatches<T>(items: T[], width: number, check: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(check));
}

describe.each(['sqlite', 'postgres'] as const)('nothing acknowledged is lost (%s)', (backend) => {
  it('every evaluation answered 201 before a SIGKILL is there after the restart, and consumes exactly once', { timeout: 180_000 }, async () => {
    const env = environmentFor(backend);
    const created = await runVigil(['project', 'create', '--name', 'Durable', '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    const { secret_key: secretKey } = JSON.parse(created.stdout) as { secret_key: string };

    let server: RunningVigil | null = await startVigil(env);
    let killed = false;
    const load: Load = { acknowledged: new Map(), otherAnswers: [], unanswered: 0, pending: 0 };
    let inFlightAtKill = 0;
    try {
      const firing = fireEvaluations(server.url, secretKey, load, () => killed);
      // About LOAD_MS of load; longer only if a slow machine has not yet acknowledged enough to judge.
      const started = Date.now();
      await sleep(LOAD_MS);
      while (load.acknowledged.size < MIN_ACKNOWLEDGED * 2 && Date.now() - started < 15_000) await sleep(50);
      // Killed with requests in flight: the loops never wait for one another, so some always are. No
      // loop starts a request after this; whatever fails from here on was in flight at the kill.
      inFlightAtKill = load.pending;
      killed = true;
      const ended = await server.kill('SIGKILL');
      server = null;
      expect(ended.signal).toBe('SIGKILL');
      await firing;
    } finally {
      killed = true;
      if (server) await server.kill('SIGKILL');
    }

    // Not vacuous: the server was under real load, and requests were in flight when the kill came. Some
    // are cut off; others may have been answered just before it (a group's commit answers several at
    // once), and those are acknowledged like any other.
    expect(load.acknowledged.size).toBeGreaterThan(MIN_ACKNOWLEDGED);
    expect(inFlightAtKill).toBeGreaterThan(0);
    console.log(
      `[${backend}] ${load.acknowledged.size} evaluations acknowledged, ${inFlightAtKill} in flight at the kill (${load.unanswered} cut off), ${load.otherAnswers.length} other answers`,
    );
    if (load.otherAnswers.length > 0) console.warn(`[${backend}] answers other than 201 under load:`, load.otherAnswers.slice(0, 5));

    const restarted = await startVigil(env);
    try {
      const auth = { authorization: `Bearer ${secretKey}` };
      const lost: string[] = [];
      const wrong: string[] = [];
      await inBatches([...load.acknowledged], 16, async ([id, user]) => {
        const read = await fetch(`${restarted.url}/v3/evaluations/${id}`, { headers: auth });
        const body = (await read.json()) as { id?: string; user?: { id?: string }; consumed?: boolean; error?: { code: string } };
        if (read.status !== 200) {
          lost.push(`${id}: GET ${read.status} ${body.error?.code ?? ''}`);
          return;
        }
        if (body.id !== id || body.user?.id !== user || body.consumed !== false)
          wrong.push(`${id}: read ${JSON.stringify({ id: body.id, user: body.user?.id, consumed: body.consumed })}`);

        const first = await fetch(`${restarted.url}/v3/evaluations/${id}/consume`, { method: 'POST', headers: auth });
        const firstBody = (await first.json()) as { id?: string; consumed?: boolean; error?: { code: string } };
        if (first.status !== 200 || firstBody.id !== id || firstBody.consumed !== true) {
          wrong.push(`${id}: first consume ${first.status} ${JSON.stringify(firstBody).slice(0, 200)}`);
        }
        const second = await fetch(`${restarted.url}/v3/evaluations/${id}/consume`, { method: 'POST', headers: auth });
        const secondBody = (await second.json()) as { error?: { code: string } };
        if (second.status !== 409 || secondBody.error?.code !== 'EVALUATION_ALREADY_CONSUMED') {
          wrong.push(`${id}: second consume ${second.status} ${JSON.stringify(secondBody).slice(0, 200)}`);
        }
      });
      expect(lost, `${lost.length} of ${load.acknowledged.size} acknowledged evaluations are gone after the restart`).toEqual([]);
      expect(wrong).toEqual([]);
    } finally {
      expect(await restarted.stop()).toBe(0);
    }
  });
});
