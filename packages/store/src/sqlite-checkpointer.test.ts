import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from './index.js';

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
      await new Promise((resolve) => setTimeout(resolve, 800));
      const before = statSync(file).size;
      const values = Array.from({ length: 3000 }, (_, i) => `someone-${i}-${'x'.repeat(200)}@example.com`);
      await store.lists.add({ listId: list!.id, values, expiresAt: null, now: 0 });
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(1_000_000);
      expect(statSync(file).size).toBe(before);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(statSync(file).size).toBeGreaterThan(before + 500_000);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
