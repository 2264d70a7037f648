import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../index.js';
import { postgresUrl, testSchema } from '../test-support/dialects.js';
import { POSTGRES_LEASE_MS } from './projects.js';

// Opening a project by its secret key or client id, as every request does: exact whatever this store
// wrote; what another connection to the same database wrote (the CLI beside a running server, another
// node) is seen at once on SQLite, and on PostgreSQL once the lease on what was kept ran out.
const opened: Store[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long another connection's write may take to be seen. */
const seenWithin = { sqlite: 0, postgres: POSTGRES_LEASE_MS + 50 };

/** Two connections to one database: the server's store and another process's (the CLI's). */
const dialects = {
  sqlite: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-projects-'));
    dirs.push(dir);
    const file = join(dir, 'vigil.db');
    return [await openStore({ dialect: 'sqlite', file }), await openStore({ dialect: 'sqlite', file })] as const;
  },
  postgres: async () => {
    const schema = testSchema();
    return [await openStore({ dialect: 'postgres', url: postgresUrl, schema }), await openStore({ dialect: 'postgres', url: postgresUrl, schema })] as const;
  },
};

describe.each(Object.entries(dialects))('opening a project on %s', (name, open) => {
  const settle = () => sleep(seenWithin[name as keyof typeof seenWithin]);
  it('sees its own writes at once: a rotated key stops opening it, new risk settings show', async () => {
    const [server, other] = await open();
    opened.push(server, other);
    await server.migrate();
    const { project, secretKey } = await server.projects.create({ name: 'A', allowedOrigins: [], now: 0 });
    expect((await server.projects.findBySecretKey(secretKey, 1))?.project.id).toBe(project.id);
    expect((await server.projects.findByClientId(project.clientId))?.riskOverrides).toEqual({});

    await server.projects.setRiskOverrides(project.id, { ato: { description: 'tuned' } }, 2);
    expect((await server.projects.findBySecretKey(secretKey, 3))?.project.riskOverrides).toEqual({ ato: { description: 'tuned' } });
    expect((await server.projects.findByClientId(project.clientId))?.riskOverrides).toEqual({ ato: { description: 'tuned' } });
    await server.projects.setRetentionDays(project.id, 30, 4);
    expect((await server.projects.findBySecretKey(secretKey, 5))?.project.retentionDays).toBe(30);

    const rotated = await server.projects.rotateSecretKey({ projectId: project.id, environment: 'production', now: 6, graceMs: 0 });
    expect(await server.projects.findBySecretKey(secretKey, 7)).toBeNull();
    expect((await server.projects.findBySecretKey(rotated, 7))?.project.id).toBe(project.id);
  });

  it('sees another connection’s writes (at once on SQLite, within the lease on PostgreSQL): a key it rotates, a project it creates, settings it changes', async () => {
    const [server, other] = await open();
    opened.push(server, other);
    await server.migrate();
    const { project, secretKey } = await server.projects.create({ name: 'A', allowedOrigins: [], now: 0 });
    expect((await server.projects.findBySecretKey(secretKey, 1))?.project.id).toBe(project.id);

    // A key another connection rotated away (grace 0) stops working.
    const rotated = await other.projects.rotateSecretKey({ projectId: project.id, environment: 'production', now: 2, graceMs: 0 });
    await settle();
    expect(await server.projects.findBySecretKey(secretKey, 3)).toBeNull();
    expect((await server.projects.findBySecretKey(rotated, 3))?.project.id).toBe(project.id);

    await other.projects.setRiskOverrides(project.id, { ato: { description: 'from the CLI' } }, 4);
    await settle();
    expect((await server.projects.findBySecretKey(rotated, 5))?.project.riskOverrides).toEqual({ ato: { description: 'from the CLI' } });
    expect((await server.projects.findByClientId(project.clientId))?.riskOverrides).toEqual({ ato: { description: 'from the CLI' } });

    // A key never seen opens nothing, and is not remembered as nothing: once created elsewhere, it works.
    expect(await server.projects.findByClientId('cl_unknown')).toBeNull();
    const later = await other.projects.create({ name: 'B', allowedOrigins: [], now: 6 });
    expect((await server.projects.findBySecretKey(later.secretKey, 7))?.project.id).toBe(later.project.id);
    expect((await server.projects.findByClientId(later.project.clientId))?.id).toBe(later.project.id);
  });

  it('still refuses a key whose grace ran out while it was being reused', async () => {
    const [server, other] = await open();
    opened.push(server, other);
    await server.migrate();
    const { project, secretKey } = await server.projects.create({ name: 'A', allowedOrigins: [], now: 0 });
    await server.projects.rotateSecretKey({ projectId: project.id, environment: 'production', now: 10, graceMs: 1_000 });
    expect((await server.projects.findBySecretKey(secretKey, 500))?.project.id).toBe(project.id);
    expect((await server.projects.findBySecretKey(secretKey, 1_009))?.project.id).toBe(project.id);
    expect(await server.projects.findBySecretKey(secretKey, 1_010)).toBeNull();
  });
});
