// The dashboard on real volumes (issue 8: pages stay responsive with 1,000,000 evaluations): a SQLite
// file (or, with VIGIL_BENCH_DASHBOARD_DB=postgres, a fresh PostgreSQL schema) seeded with
// VIGIL_BENCH_EVALUATIONS evaluations (default 1,000,000) over 30 days, 10,000 users with 1–2 devices
// each (1% of devices and fingerprints shared by two or three users), 1% denied, risks above low on ~15%,
// and the queries the dashboard's pages make, timed one after another. Baseline: the same first page on a
// project with 1,000 evaluations in the same database, so the ratios say what the volume costs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DailyCounts, newId, openStore, type Store } from '@vigil/store';
import { sql } from 'kysely';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

import type { BenchRow, BenchStage } from './run.js';

const TOTAL = Number(process.env.VIGIL_BENCH_EVALUATIONS ?? 1_000_000);
const USERS = 10_000;
const DAY = 86_400_000;
const now = Date.UTC(2026, 10, 25, 12, 0, 0);
const postgresUrl = process.env.VIGIL_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Every user gets a device and a fingerprint, every third a second device; 1% of devices and fingerprints are shared with the next user or two. */
async function seedDevices(store: Store, projectId: string, userIds: string[]): Promise<void> {
  const ua = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
  for (let i = 0; i < userIds.length; i += 250) {
    const devices: Record<string, unknown>[] = [];
    const fingerprints: Record<string, unknown>[] = [];
    const userDevices: Record<string, unknown>[] = [];
    const userFingerprints: Record<string, unknown>[] = [];
    for (let u = i; u < Math.min(i + 250, userIds.length); u++) {
      const seen = now - (u % 30) * DAY;
      const owned = u % 3 === 0 ? 2 : 1;
      for (let d = 0; d < owned; d++) {
        const id = newId('dv');
        devices.push({ id, project_id: projectId, cookie_id: newId('did'), user_agent: ua, device_class: 'computer', first_seen_at: seen - DAY, last_seen_at: seen });
        userDevices.push({ project_id: projectId, user_id: userIds[u]!, device_id: id, first_seen_at: seen - DAY, last_seen_at: seen });
        if (d === 0 && u % 100 === 0)
          for (const other of [u + 1, u + 2].filter((o) => o < userIds.length && o < i + 250))
            userDevices.push({ project_id: projectId, user_id: userIds[other]!, device_id: id, first_seen_at: seen - DAY, last_seen_at: seen });
      }
      const fp = newId('fp');
      fingerprints.push({ id: fp, project_id: projectId, hash: randomBytes(16).toString('hex'), first_seen_at: seen - DAY, last_seen_at: seen });
      userFingerprints.push({ project_id: projectId, user_id: userIds[u]!, fingerprint_id: fp, first_seen_at: seen - DAY, last_seen_at: seen });
      if (u % 100 === 50 && u + 1 < Math.min(i + 250, userIds.length))
        userFingerprints.push({ project_id: projectId, user_id: userIds[u + 1]!, fingerprint_id: fp, first_seen_at: seen - DAY, last_seen_at: seen });
    }
    // Kysely's typed inserts want every column; these rows have the ones that matter here.
    const insert = (table: string, rows: Record<string, unknown>[]) =>
      (store.db as unknown as { insertInto(t: string): { values(r: unknown): { execute(): Promise<unknown> } } }).insertInto(table).values(rows).execute();
    await insert('devices', devices);
    await insert('fingerprints', fingerprints);
    await insert('user_devices', userDevices);
    await insert('user_fingerprints', userFingerprints);
  }
}

async function seed(store: Store, projectId: string, count: number, users: number): Promise<void> {
  const userIds: string[] = [];
  for (let i = 0; i < users; i += 500) {
    const rows = Array.from({ length: Math.min(500, users - i) }, (_, k) => {
      const id = newId('us');
      userIds.push(id);
      return { id, project_id: projectId, external_id: `user-${i + k}`, email: null, phone: null, first_seen_at: now - 60 * DAY, last_seen_at: now };
    });
    await store.db.insertInto('users').values(rows).execute();
  }
  await seedDevices(store, projectId, userIds);
  const span = 30 * DAY;
  const reasons = JSON.stringify(['new_ip']);
  const risks = JSON.stringify([{ category: 'ato', score: 10, severity: 'low', contributions: [{ check: 'is_new_ip', weight: 10 }] }]);
  const checks = JSON.stringify({ is_new_ip: true, ip_is_tor: false, device_count: 2 });
  for (let i = 0; i < count; i += 800) {
    const rows = Array.from({ length: Math.min(800, count - i) }, (_, k) => {
      const n = i + k;
      const u = n % users;
      const deny = n % 100 === 0;
      return {
        id: newId('ev'),
        project_id: projectId,
        environment: 'production',
        channel: 'client',
        action: n % 10 === 0 ? 'signup' : 'login',
        user_id: userIds[u]!,
        user_external_id: `user-${u}`,
        email: null,
        phone: null,
        device_id: null,
        fingerprint_id: null,
        ip: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
        user_agent: null,
        origin: null,
        metadata: '{}',
        verdict: deny ? 'deny' : 'allow',
        policy: deny ? JSON.stringify({ id: 'po_1', name: 'Deny Tor', version: 1 }) : null,
        challenge: null,
        redirect: null,
        risks,
        // 1% with ato high (the denied ones), ~14% more with ato medium, the rest low.
        risk_flags: deny ? ' ato:high ' : n % 7 === 0 ? ' ato:medium ' : ' ',
        checks,
        reasons,
        latitude: null,
        longitude: null,
        accuracy_km: null,
        geo_precision: null,
        country: 'NO',
        ip_type: null,
        ip_info: null,
        consumed_at: null,
        // Spread over 30 days, newest last.
        created_at: now - span + Math.floor((n / count) * span),
        updated_at: now,
      };
    });
    await store.db.insertInto('evaluations').values(rows).execute();
  }
}

async function time(name: string, runs: number, fn: () => Promise<unknown>, note?: string): Promise<BenchRow> {
  await fn(); // warm
  const ms: number[] = [];
  const start = performance.now();
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  const total = performance.now() - start;
  ms.sort((a, b) => a - b);
  return { name, opsPerSec: (runs / total) * 1000, p50Ms: ms[Math.floor(runs * 0.5)]!, p99Ms: ms[Math.min(runs - 1, Math.floor(runs * 0.99))]!, ...(note ? { note } : {}) };
}

const stage: BenchStage = {
  stage: 'dashboard',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-dashboard-'));
    const onPostgres = process.env.VIGIL_BENCH_DASHBOARD_DB === 'postgres';
    const schema = `bench_dashboard_${randomBytes(4).toString('hex')}`;
    const store = await openStore(onPostgres ? { dialect: 'postgres', url: postgresUrl, schema } : { dialect: 'sqlite', file: join(dir, 'vigil.db') });
    try {
      await store.migrate();
      const small = (await store.projects.create({ name: 'Small', allowedOrigins: [], now })).project.id;
      const big = (await store.projects.create({ name: 'Big', allowedOrigins: [], now })).project.id;
      const seeded = performance.now();
      await seed(store, small, 1_000, 100);
      await seed(store, big, TOTAL, USERS);
      const seedMs = performance.now() - seeded;
      // A live database has planner statistics (autovacuum gathers them); a table loaded a second ago has none.
      if (onPostgres) await sql`analyze`.execute(store.db);
      // A cursor deep in the list: what "Load more" gives after 100 pages of 50.
      let after: { createdAt: number; id: string } | undefined;
      for (let p = 0; p < 100; p++) after = (await store.evaluations.search(big, { limit: 50, ...(after ? { after } : {}) })).next ?? undefined;
      const deep = after!;
      const dailyCounts = new DailyCounts(store);
      const rows: BenchRow[] = [
        { ...(await time('first page, 1,000 evaluations (baseline)', 200, () => store.evaluations.search(small, { limit: 50 }))), baseline: true },
        await time(`first page, ${TOTAL.toLocaleString('en')} evaluations`, 200, () => store.evaluations.search(big, { limit: 50 }), `seeded in ${(seedMs / 1000).toFixed(0)} s`),
        await time('page 101 by cursor', 200, () => store.evaluations.search(big, { limit: 50, after: deep })),
        await time('verdict = deny (1%)', 200, () => store.evaluations.search(big, { limit: 50, verdict: 'deny' })),
        await time('action = signup (10%)', 200, () => store.evaluations.search(big, { limit: 50, action: 'signup' })),
        await time('one user (100 evaluations)', 200, () => store.evaluations.search(big, { limit: 50, user: 'user-4242' })),
        await time('one IP', 200, () => store.evaluations.search(big, { limit: 50, ip: '10.1.2.3' })),
        await time('one evaluation by id', 200, async () => store.evaluations.find(big, deep.id)),
        await time('overview: counts by day and verdict, 14 days', 5, () => store.evaluations.countsByDay(big, now - 14 * DAY), 'scans the window'),
        await time('overview: ended days kept, today counted', 50, () => dailyCounts.between(big, Math.floor(now / DAY) - 13, Math.floor(now / DAY)), 'what the page does'),
        await time('overview: latest 1,000 (reasons, risks)', 20, () => store.evaluations.search(big, { limit: 1000 })),
        await time('risk ato at least high (1%)', 200, () => store.evaluations.search(big, { limit: 50, risk: { category: 'ato', atLeast: 'high' } })),
        await time('any risk at least medium (15%)', 200, () => store.evaluations.search(big, { limit: 50, risk: { atLeast: 'medium' } })),
        await time('people: shared devices and fingerprints', 20, () => store.links.recentShared(big, 30), 'the page without an account'),
        await time("people: one account's graph, two rings", 200, () => store.links.graph(big, 'user-4200', { depth: 2, maxAccounts: 40, maxPerThing: 12 })),
        await time("people: one account's devices and conflicts", 200, () => store.links.devicesAndConflicts(big, 'user-4200')),
      ];
      return rows.map((r) => ({ ...r, name: `${onPostgres ? '[postgres] ' : ''}${r.name}` }));
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
      if (onPostgres) {
        const client = new pg.Client({ connectionString: postgresUrl });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      }
    }
  },
};
export default stage;
