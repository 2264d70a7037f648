import { closeSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from './index.js';
import { newEvaluation } from './test-support/new-evaluation.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The write-ahead log's checkpoint sequence (header bytes 12–15): one more each time the log starts over. */
function walRestarts(file: string): number {
  const fd = openSync(`${file}-wal`, 'r');
  try {
    const header = Buffer.alloc(16);
    readSync(fd, header, 0, 16, 0);
    return header.readUInt32BE(12);
  } finally {
    closeSync(fd);
  }
}

describe('the SQLite checkpointer', () => {
  it('copies committed pages from the write-ahead log into the database file from its worker, off the event loop', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-ckpt-'));
    const file = join(dir, 'vigil.db');
    const store = await openStore({ dialect: 'sqlite', file });
    try {
      await store.migrate();
      const { project } = await store.projects.create({ name: 'A', allowedOrigins: [], now: 0 });
      const list = await store.lists.create({ projectId: project.id, name: 'blocked', type: 'email', now: 0 });
      // Let the worker catch up with the migrations, then write a few hundred pages in one commit:
      // far below the connection's own checkpoint threshold, so only the worker can move them.
      await sleep(800);
      const before = statSync(file).size;
      const values = Array.from({ length: 3000 }, (_, i) => `someone-${i}-${'x'.repeat(200)}@example.com`);
      await store.lists.add({ listId: list!.id, values, expiresAt: null, now: 0 });
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(1_000_000);
      expect(statSync(file).size).toBe(before);
      await sleep(1000);
      expect(statSync(file).size).toBeGreaterThan(before + 500_000);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is done with the files once the store closed: nothing is left beside the database for a caller removing them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-ckpt-'));
    try {
      for (let round = 0; round < 5; round++) {
        const store = await openStore({ dialect: 'sqlite', file: join(dir, 'vigil.db') });
        await store.migrate();
        await store.projects.create({ name: `A${round}`, allowedOrigins: [], now: 0 });
        await store.close();
        // The last connection to close (the worker's, not the store's own) removes the log and its index.
        expect(readdirSync(dir)).toEqual(['vigil.db']);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('starts the log over while evaluations keep arriving, once it holds the size it was given, so it never grows to the connection’s own threshold', async () => {
    // Under steady writes a passive checkpoint from the worker never finds every frame copied (commits
    // land while it copies), so the log never started over: it grew to the connection's own threshold
    // and the connection checkpointed it on the event loop. The worker leaves the little rest to the
    // connection, between two groups, once the log holds its size (`walBytes`: 256 MB by default, 8 MB
    // here so that a test fills it many times), and the log starts over.
    const dir = mkdtempSync(join(tmpdir(), 'vigil-ckpt-'));
    const file = join(dir, 'vigil.db');
    const walBytes = 8 * 1024 * 1024;
    const store = await openStore({ dialect: 'sqlite', file, walBytes });
    try {
      await store.migrate();
      const projectId = (await store.projects.create({ name: 'A', allowedOrigins: [], now: 0 })).project.id;
      const evaluation = (n: number) =>
        newEvaluation(projectId, `user-${n % 500}`, { fingerprintHash: `fp-${n % 500}`, ip: `198.51.100.${n % 200}`, metadata: { note: 'x'.repeat(1500) }, now: n });
      const restartsBefore = walRestarts(file);
      let largestLog = 0;
      let written = 0;
      // Evaluations in pairs every few milliseconds, as a busy server commits them.
      while (written < 4000) {
        await Promise.all([0, 1].map((i) => store.evaluating([], (scope) => scope.record(evaluation(written + i)))));
        written += 2;
        largestLog = Math.max(largestLog, statSync(`${file}-wal`).size);
        await sleep(2);
      }
      // More than 60 MB of log through a log of 8 MB: it started over again and again, each time near the
      // size it was given (a little more: what committed between the worker's last pass and the restart).
      expect(walRestarts(file) - restartsBefore).toBeGreaterThanOrEqual(4);
      expect(largestLog).toBeGreaterThan(walBytes);
      expect(largestLog).toBeLessThan(1.5 * walBytes);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
