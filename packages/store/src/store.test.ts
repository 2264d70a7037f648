import { Migrator, sql } from 'kysely';
import * as concurrentSessionsFlag from './migrations/20261206T1000_concurrent_sessions_flag.js';
import { migrationProvider } from './migrations/index.js';
import { ensureMonthlyPartitions, monthStart as monthStartOf } from './repositories/partitions.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HistoryKey, type NewEvaluation, type Store, openStore } from './index.js';
import { postgresUrl, storeDialects, testSchema } from './test-support/dialects.js';
import { newEvaluation } from './test-support/new-evaluation.js';

// One contract, both dialects. PostgreSQL is real (127.0.0.1:5432, started by .ci/run): when it is not
// there these tests fail loudly rather than skip.
const dialects = storeDialects(4);

// The schemas are dropped when the run ends (vitest.global-setup.ts), never while tests run.

const t0 = Date.UTC(2026, 10, 25, 9, 0, 0);

describe('migrations on postgres', () => {
  it('run from several processes at once on a fresh schema: one migrates, the others find it done', async () => {
    const schema = testSchema();
    // Separate stores are separate pools, so separate sessions: as separate nodes starting together.
    const stores = await Promise.all(Array.from({ length: 4 }, () => openStore({ dialect: 'postgres', url: postgresUrl, schema, poolSize: 2 })));
    try {
      const applied = await Promise.all(stores.map((s) => s.migrate()));
      expect(applied.filter((names) => names.length > 0)).toHaveLength(1);
      expect(applied.flat()).toContain('20261205T1100_evaluations_by_month');
      expect(new Set(applied.flat()).size).toBe(applied.flat().length);
      expect(await stores[0]!.migrate()).toEqual([]);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});

describe('evaluations by month on an existing PostgreSQL database', () => {
  it('keeps every evaluation recorded before the migration: readable, consumable once, in the partition of the past', async () => {
    const schema = testSchema();
    const store = await openStore({ dialect: 'postgres', url: postgresUrl, schema, poolSize: 2 });
    try {
      // The database as the release before left it: every migration up to the nodes table.
      const before = new Migrator({ db: store.db, provider: migrationProvider, migrationTableSchema: schema });
      expect((await before.migrateTo('20261205T1000_nodes')).error).toBeUndefined();
      const projectId = (await store.projects.create({ name: 'Old', allowedOrigins: [], now: t0 })).project.id;
      const recorded = [];
      for (let i = 0; i < 5; i++) {
        recorded.push(await store.evaluations.record(newEvaluation(projectId, `old_${i}`, { now: t0 + i })));
      }
      // Its one webhook endpoint, as the release before kept it, and a delivery waiting for it.
      await sql`insert into webhook_endpoints (project_id, url, secret, created_at) values (${projectId}, 'https://hooks.example/old', 'whsec_old', ${t0})`.execute(store.db);
      await sql`insert into webhook_deliveries (id, project_id, event_type, payload, next_attempt_at, created_at) values ('msg_old', ${projectId}, 'challenge.completed', '{}', ${t0}, ${t0})`.execute(
        store.db,
      );
      expect(await store.migrate()).toEqual([
        '20261205T1100_evaluations_by_month',
        '20261206T1000_concurrent_sessions_flag',
        '20261206T1100_webhook_endpoints',
        '20261207T1000_lean_indexes',
        '20261208T1000_challenge_fingerprint',
        '20261209T1000_evaluations_lz4',
        '20261210T1000_hot_path_foreign_keys',
      ]);
      const [endpoint, ...none] = await store.webhooks.endpoints(projectId);
      expect(none).toEqual([]);
      expect(endpoint).toMatchObject({
        id: expect.stringMatching(/^we_/),
        url: 'https://hooks.example/old',
        secret: 'whsec_old',
        events: expect.arrayContaining(['challenge.initiated', 'challenge.completed']),
      });
      expect(endpoint!.events).not.toContain('evaluation.created');
      expect(await store.webhooks.claimDue(t0 + 1, 10, 60_000)).toEqual([expect.objectContaining({ id: 'msg_old', endpointId: endpoint!.id })]);
      for (const e of recorded) expect(await store.evaluations.find(projectId, e.id)).toEqual(e);
      expect((await store.evaluations.consume(projectId, recorded[0]!.id, t0 + 10)).status).toBe('consumed');
      expect((await store.evaluations.consume(projectId, recorded[0]!.id, t0 + 11)).status).toBe('already_consumed');
      const { rows } = await sql<{ relname: string; n: number }>`select tableoid::regclass::text as relname, count(*)::int as n from evaluations group by 1`.execute(store.db);
      expect(rows).toEqual([{ relname: 'evaluations_before_partitioning', n: 5 }]);
      // The indexes the table had are the partitioned table's now, so queries keep their plans (less the
      // two the lean-indexes migration drops after it).
      const { rows: indexes } = await sql<{ indexname: string }>`select indexname from pg_indexes where schemaname = ${schema} and tablename = 'evaluations' order by 1`.execute(
        store.db,
      );
      expect(indexes.map((i) => i.indexname)).toEqual([
        'evaluations_device_time',
        'evaluations_fingerprint_time',
        'evaluations_ip_time',
        'evaluations_pkey',
        'evaluations_project_time',
        'evaluations_project_verdict_time',
        'evaluations_user_time',
      ]);
    } finally {
      await store.close();
    }
  });
});

describe('evaluations compressed with lz4 on PostgreSQL', () => {
  it("sets every partition's JSON columns, those there before and those made after, and reads rows back as they were", async () => {
    const schema = testSchema();
    const store = await openStore({ dialect: 'postgres', url: postgresUrl, schema, poolSize: 2 });
    const methods = async () =>
      (
        await sql<{ relname: string; methods: string }>`
          select c.relname, string_agg(distinct a.attcompression::text, ',') as methods from pg_attribute a join pg_class c on c.oid = a.attrelid
          where c.relnamespace = ${schema}::regnamespace and c.relname like 'evaluations%' and c.relkind in ('r', 'p') and a.attname in ('checks', 'risks', 'user_agent')
          group by c.relname order by c.relname`.execute(store.db)
      ).rows;
    try {
      const before = new Migrator({ db: store.db, provider: migrationProvider, migrationTableSchema: schema });
      expect((await before.migrateTo('20261208T1000_challenge_fingerprint')).error).toBeUndefined();
      const partitionsBefore = (await methods()).map((m) => m.relname);
      expect(partitionsBefore.length).toBeGreaterThan(3);
      expect(new Set((await methods()).map((m) => m.methods))).toEqual(new Set(['']));
      expect(await store.migrate()).toEqual(['20261209T1000_evaluations_lz4', '20261210T1000_hot_path_foreign_keys']);
      expect(new Set((await methods()).map((m) => m.methods))).toEqual(new Set(['l']));
      // A partition made later (a year on) takes the partitioned table's methods.
      const made = await ensureMonthlyPartitions(store.db, t0 + 365 * 86_400_000);
      expect(made.length).toBeGreaterThan(0);
      const after = await methods();
      expect(after.length).toBe(partitionsBefore.length + made.length);
      expect(new Set(after.map((m) => m.methods))).toEqual(new Set(['l']));
      // A row large enough to be compressed reads back as it was.
      const projectId = (await store.projects.create({ name: 'A', allowedOrigins: [], now: t0 })).project.id;
      const big = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`key_${i}`, `a value of metadata, number ${i}`]));
      const e = await store.evaluations.record(newEvaluation(projectId, 'alice', { metadata: big, now: t0 }));
      expect(await store.evaluations.find(projectId, e.id)).toEqual(e);
      const { rows } = await sql<{ method: string }>`select pg_column_compression(metadata) as method from evaluations where id = ${e.id}`.execute(store.db);
      expect(rows).toEqual([{ method: 'lz4' }]);
      expect((await before.migrateTo('20261208T1000_challenge_fingerprint')).error).toBeUndefined();
      expect(new Set((await methods()).map((m) => m.methods))).toEqual(new Set(['']));
    } finally {
      await store.close();
    }
  });
});

describe('foreign keys to projects on PostgreSQL', () => {
  it('are gone from the tables evaluations write to, and back after the migration is undone; the keys to users stay', async () => {
    const schema = testSchema();
    const store = await openStore({ dialect: 'postgres', url: postgresUrl, schema, poolSize: 2 });
    const keys = async () =>
      (
        await sql<{ child: string; parent: string }>`
          select child.relname as child, parent.relname as parent from pg_constraint
          join pg_class child on child.oid = conrelid join pg_class parent on parent.oid = confrelid
          where contype = 'f' and connamespace = ${schema}::regnamespace order by 1, 2`.execute(store.db)
      ).rows;
    const hot = ['devices', 'fingerprints', 'nonces', 'project_origins', 'user_devices', 'user_fingerprints', 'user_ips', 'users', 'webhook_deliveries'];
    const toProjects = async () => (await keys()).filter((k) => k.parent === 'projects').map((k) => k.child);
    try {
      const migrator = new Migrator({ db: store.db, provider: migrationProvider, migrationTableSchema: schema });
      await store.migrate();
      expect((await toProjects()).filter((t) => hot.includes(t))).toEqual([]);
      // What is not written per evaluation keeps its key, and so does every key to a user.
      expect(await toProjects()).toEqual(expect.arrayContaining(['challenges', 'lists', 'policies', 'secret_keys']));
      expect(await keys()).toEqual(
        expect.arrayContaining([
          { child: 'user_devices', parent: 'users' },
          { child: 'user_ips', parent: 'users' },
        ]),
      );
      const projectId = (await store.projects.create({ name: 'A', allowedOrigins: [], now: t0 })).project.id;
      await store.nonces.issue({ projectId, deviceCookieId: 'dc_1', now: t0, ttlMs: 60_000 });
      await store.evaluations.record(newEvaluation(projectId, 'alice', { now: t0 }));

      expect((await migrator.migrateTo('20261209T1000_evaluations_lz4')).error).toBeUndefined();
      expect((await toProjects()).filter((t) => hot.includes(t))).toEqual(hot);
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      expect((await toProjects()).filter((t) => hot.includes(t))).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

describe.each(['sqlite', 'postgres'] as const)('a challenge keeping its fingerprint, on %s', (dialect) => {
  it('is migrated from its evaluation, and a verification passed on a fingerprint is read from the challenge alone', async () => {
    const schema = testSchema();
    const store = await (dialect === 'sqlite' ? openStore({ dialect, file: ':memory:' }) : openStore({ dialect, url: postgresUrl, schema, poolSize: 2 }));
    try {
      // Migration tables live in the store's schema on PostgreSQL.
      const before = new Migrator({ db: store.db, provider: migrationProvider, ...(dialect === 'postgres' ? { migrationTableSchema: schema } : {}) });
      expect((await before.migrateTo('20261207T1000_lean_indexes')).error).toBeUndefined();
      const projectId = (await store.projects.create({ name: 'Old', allowedOrigins: [], now: t0 })).project.id;
      const e = await store.evaluations.record(newEvaluation(projectId, 'alice', { fingerprintHash: 'fp-hash', now: t0 }));
      await sql`insert into challenges (id, project_id, evaluation_id, user_id, device_id, kind, method, channels, reasons, config, status, created_at, updated_at)
        values ('ch_old', ${projectId}, ${e.id}, ${e.user.id}, null, 'account_takeover', 'verification', '[]', '[]', '{}', 'completed', ${t0 + 1}, ${t0 + 2})`.execute(store.db);
      expect(await store.migrate()).toEqual(['20261208T1000_challenge_fingerprint', '20261209T1000_evaluations_lz4', '20261210T1000_hot_path_foreign_keys']);
      const { rows } = await sql<{ fingerprint_id: string | null }>`select fingerprint_id from challenges where id = 'ch_old'`.execute(store.db);
      expect(rows).toEqual([{ fingerprint_id: e.fingerprintId }]);
      // The evaluation is gone (retention): what the history reads no longer needs it.
      await sql`delete from evaluations`.execute(store.db);
      const key: HistoryKey = {
        projectId,
        userExternalId: 'alice',
        ip: null,
        fingerprintHash: 'fp-hash',
        deviceCookieId: null,
        origin: null,
        eventCounts: [],
        now: t0 + 10,
        retentionMs: 86_400_000,
      };
      const { snapshot } = await store.evaluating(['user:alice'], (scope) => scope.history.load(key));
      expect(snapshot.passedChallenges).toEqual([expect.objectContaining({ id: 'ch_old', passedAt: t0 + 2 })]);
    } finally {
      await store.close();
    }
  });
});

describe.each(Object.entries(dialects))('concurrent_sessions becoming a flag, on %s', (_name, open) => {
  it('moves stored numeric comparisons of it to concurrent_session_count, in policies, their versions and risk overrides', async () => {
    const store = await open();
    try {
      // Rows as the release before wrote them (the store does not validate: the API did, by the old rules),
      // then the migration's step run over them. Migrating a schema is left to migrate(), under its lock.
      await store.migrate();
      const projectId = (await store.projects.create({ name: 'Old', allowedOrigins: [], now: t0 })).project.id;
      const conditions = {
        any: [
          { field: 'concurrent_sessions', operator: 'gte', value: 2 },
          { not: { field: 'concurrent_sessions', operator: 'eq', value: 0 } },
          { field: 'concurrent_sessions', operator: 'exists' },
          { field: 'is_new_ip', operator: 'eq', value: true },
        ],
      };
      const body = { name: 'Shared', events: ['access'], priority: 1, enabled: true, conditions, action: { type: 'deny' } };
      const policy = await store.policies.create({ projectId, environment: 'production', body: body as never, now: t0 });
      await store.projects.setRiskOverrides(
        projectId,
        {
          account_sharing: {
            rules: [
              { check: 'concurrent_sessions', weight: 30, when: { operator: 'gte', value: 3 } },
              { check: 'impossible_travel', weight: 20 },
            ],
          },
        },
        t0,
      );
      await concurrentSessionsFlag.up(store.db);
      const moved = {
        any: [
          { field: 'concurrent_session_count', operator: 'gte', value: 2 },
          { not: { field: 'concurrent_session_count', operator: 'eq', value: 0 } },
          { field: 'concurrent_sessions', operator: 'exists' },
          { field: 'is_new_ip', operator: 'eq', value: true },
        ],
      };
      expect((await store.policies.list(projectId, 'production'))[0]).toMatchObject({ id: policy.id, conditions: moved });
      expect((await store.policies.versions(projectId, policy.id))![0]).toMatchObject({ policy: { conditions: moved } });
      expect((await store.projects.findById(projectId))!.riskOverrides).toEqual({
        account_sharing: {
          rules: [
            { check: 'concurrent_session_count', weight: 30, when: { operator: 'gte', value: 3 } },
            { check: 'impossible_travel', weight: 20 },
          ],
        },
      });
    } finally {
      await store.close();
    }
  });
});

describe.each(Object.entries(dialects))('store on %s', (_name, open) => {
  let store: Store;
  beforeEach(async () => {
    store = await open();
    expect(await store.migrate()).toEqual([
      '20261125T0200_initial',
      '20261125T0400_policies_lists_challenges_geography',
      '20261125T0600_challenge_codes',
      '20261125T0700_webhooks',
      '20261125T0800_device_logout_challenge_policy',
      '20261125T0900_operators_dashboard',
      '20261125T1100_retention_risk_flags',
      '20261203T1000_challenge_contact',
      '20261203T1200_familiarity',
      '20261204T1000_hot_path',
      '20261205T1000_nodes',
      '20261205T1100_evaluations_by_month',
      '20261206T1000_concurrent_sessions_flag',
      '20261206T1100_webhook_endpoints',
      '20261207T1000_lean_indexes',
      '20261208T1000_challenge_fingerprint',
      '20261209T1000_evaluations_lz4',
      '20261210T1000_hot_path_foreign_keys',
    ]);
  });
  afterEach(() => store.close());

  it('migrates once: a second run applies nothing', async () => {
    expect(await store.migrate()).toEqual([]);
  });

  it('gives each due webhook delivery to one of several dispatchers claiming at once, and again once its lease lapses', async () => {
    const projectId = (await store.projects.create({ name: 'Hooks', allowedOrigins: [], now: t0 })).project.id;
    const quiet = (await store.projects.create({ name: 'No endpoint', allowedOrigins: [], now: t0 })).project.id;
    const endpoint = await store.webhooks.createEndpoint(projectId, { id: 'we_1', url: 'https://hooks.example/vigil', secret: 'whsec_test', events: ['challenge.completed'] }, t0);
    for (let i = 0; i < 6; i++) await store.webhooks.enqueue(projectId, [{ id: `wh_${i}`, endpointId: endpoint.id, eventType: 'challenge.completed', payload: '{}' }], t0 + i);
    const claims = await Promise.all(Array.from({ length: 3 }, () => store.webhooks.claimDue(t0 + 10, 20, 60_000)));
    const ids = claims.flat().map((d) => d.id);
    expect(ids.sort()).toEqual(['wh_0', 'wh_1', 'wh_2', 'wh_3', 'wh_4', 'wh_5']);
    expect(claims.flat()[0]).toMatchObject({ projectId, endpointId: 'we_1', eventType: 'challenge.completed', url: 'https://hooks.example/vigil', secret: 'whsec_test' });
    // Claimed: not due again until the lease lapses, then due again (a dispatcher that died mid-send).
    expect(await store.webhooks.claimDue(t0 + 20, 20, 60_000)).toEqual([]);
    expect((await store.webhooks.claimDue(t0 + 10 + 60_000, 2, 60_000)).map((d) => d.id)).toHaveLength(2);
    // A delivery whose endpoint is gone is never claimed, and an endpoint removed drops what it had not been sent.
    await store.webhooks.enqueue(quiet, [{ id: 'wh_orphan', endpointId: 'we_gone', eventType: 'challenge.completed', payload: '{}' }], t0);
    expect(await store.webhooks.claimDue(t0 + 10 * 60_000 * 60, 50, 60_000)).not.toContainEqual(expect.objectContaining({ id: 'wh_orphan' }));
    // A resend is a new delivery of the same event to the same endpoint, due now.
    const resent = await store.webhooks.resend(projectId, 'wh_0', 'wh_again', t0 + 30);
    expect(resent).toMatchObject({ id: 'wh_again', endpointId: 'we_1', eventType: 'challenge.completed', attempts: 0, nextAttemptAt: t0 + 30 });
    expect(await store.webhooks.resend(quiet, 'wh_0', 'wh_x', t0)).toBeNull();
    expect(await store.webhooks.removeEndpoint(projectId, 'we_1')).toBe(true);
    expect((await store.webhooks.deliveries(projectId)).filter((d) => d.deliveredAt === null)).toEqual([]);
  });

  it('keeps a heartbeat row per node: live ones listed, a stopped one and stale ones forgotten', async () => {
    await store.nodes.beat({ id: 'node_a', name: 'a:1', startedAt: t0, sharesState: true }, t0);
    await store.nodes.beat({ id: 'node_b', name: 'b:2', startedAt: t0 + 1, sharesState: false }, t0 + 1);
    await store.nodes.beat({ id: 'node_a', name: 'a:1', startedAt: t0, sharesState: true }, t0 + 20_000);
    expect(await store.nodes.live(t0)).toEqual([
      { id: 'node_a', name: 'a:1', startedAt: t0, lastSeenAt: t0 + 20_000, sharesState: true },
      { id: 'node_b', name: 'b:2', startedAt: t0 + 1, lastSeenAt: t0 + 1, sharesState: false },
    ]);
    expect((await store.nodes.live(t0 + 5_000)).map((n) => n.id)).toEqual(['node_a']);
    await store.nodes.beat({ id: 'node_c', name: 'c:3', startedAt: t0, sharesState: true }, t0 + 20_000);
    await store.nodes.leave('node_a', t0 + 10_000);
    expect((await store.nodes.live(0)).map((n) => n.id)).toEqual(['node_c']);
  });

  it('creates a project whose secret key is stored only as a hash', async () => {
    const created = await store.projects.create({ name: 'Shop', allowedOrigins: ['https://shop.example'], now: t0 });
    expect(created.project.id).toMatch(/^pr_[0-9a-z]{26}$/);
    expect(created.project.clientId).toMatch(/^cl_/);
    expect(created.secretKey).toMatch(/^sk_[0-9a-z]{52}$/);
    const keys = await store.db.selectFrom('secret_keys').selectAll().execute();
    expect(keys).toHaveLength(1);
    expect(JSON.stringify(keys)).not.toContain(created.secretKey);
    expect(keys[0]?.hint).toBe(created.secretKey.slice(-4));

    expect(await store.projects.findByClientId(created.project.clientId)).toEqual(created.project);
    expect(await store.projects.findBySecretKey(created.secretKey, t0)).toEqual({ project: created.project, environment: 'production' });
    expect(await store.projects.findBySecretKey(`${created.secretKey}x`, t0)).toBeNull();
    expect(await store.projects.count()).toBe(1);
  });

  it('rotates a key: the old one works through the grace period and not after', async () => {
    const { project, secretKey: oldKey } = await store.projects.create({ name: 'A', allowedOrigins: [], now: t0 });
    const newKey = await store.projects.rotateSecretKey({ projectId: project.id, environment: 'production', now: t0 + 1000, graceMs: 60_000 });
    expect(newKey).not.toBe(oldKey);
    expect(await store.projects.findBySecretKey(oldKey, t0 + 60_999)).not.toBeNull();
    expect(await store.projects.findBySecretKey(oldKey, t0 + 61_000)).toBeNull();
    expect(await store.projects.findBySecretKey(newKey, t0 + 10 ** 9)).not.toBeNull();
    // Rotating at once kills the previous key immediately, and never revives an already expired one.
    const third = await store.projects.rotateSecretKey({ projectId: project.id, environment: 'production', now: t0 + 2000, graceMs: 0 });
    expect(await store.projects.findBySecretKey(newKey, t0 + 2000)).toBeNull();
    expect(await store.projects.findBySecretKey(third, t0 + 2000)).not.toBeNull();
  });

  it('spends a nonce once, on its own device, before it expires', async () => {
    const { project } = await store.projects.create({ name: 'A', allowedOrigins: [], now: t0 });
    const issue = () => store.nonces.issue({ projectId: project.id, deviceCookieId: 'dev-1', now: t0, ttlMs: 120_000 });
    const redeem = (nonce: string, deviceCookieId: string | null, now = t0 + 1000) => store.nonces.redeem({ projectId: project.id, nonce, deviceCookieId, now });

    const nonce = await issue();
    expect(await redeem(nonce, 'dev-1')).toBe('valid');
    expect(await redeem(nonce, 'dev-1')).toBe('consumed');
    expect(await redeem('never-issued', 'dev-1')).toBe('unknown');
    expect(await redeem(await issue(), 'dev-2')).toBe('mismatch');
    expect(await redeem(await issue(), null)).toBe('mismatch');
    expect(await redeem(await issue(), 'dev-1', t0 + 120_000)).toBe('expired');

    const other = await store.projects.create({ name: 'B', allowedOrigins: [], now: t0 });
    const foreign = await store.nonces.issue({ projectId: other.project.id, deviceCookieId: 'dev-1', now: t0, ttlMs: 120_000 });
    expect(await redeem(foreign, 'dev-1')).toBe('unknown');
  });

  it('spends a nonce once when two requests race with it', async () => {
    const { project } = await store.projects.create({ name: 'A', allowedOrigins: [], now: t0 });
    const nonce = await store.nonces.issue({ projectId: project.id, deviceCookieId: 'd', now: t0, ttlMs: 120_000 });
    const results = await Promise.all(Array.from({ length: 5 }, () => store.nonces.redeem({ projectId: project.id, nonce, deviceCookieId: 'd', now: t0 + 1 })));
    expect(results.filter((r) => r === 'valid')).toHaveLength(1);
    expect(results.filter((r) => r === 'consumed')).toHaveLength(4);
  });

  it('prunes expired nonces', async () => {
    const { project } = await store.projects.create({ name: 'A', allowedOrigins: [], now: t0 });
    await store.nonces.issue({ projectId: project.id, deviceCookieId: 'd', now: t0, ttlMs: 1000 });
    await store.nonces.issue({ projectId: project.id, deviceCookieId: 'd', now: t0, ttlMs: 10_000 });
    expect(await store.nonces.prune(t0 + 5000)).toBe(1);
  });

  it('keeps operators with unique lowercased emails and sessions that expire', async () => {
    const op = await store.operators.create({ email: 'Ops@Shop.Example', passwordHash: 'scrypt$x', now: t0 });
    expect(op?.email).toBe('ops@shop.example');
    expect(await store.operators.create({ email: 'ops@shop.example', passwordHash: 'scrypt$y', now: t0 })).toBeNull();
    expect(await store.operators.count()).toBe(1);
    expect((await store.operators.findByEmail('OPS@shop.example'))?.id).toBe(op!.id);
    await store.operators.openSession({ operatorId: op!.id, tokenHash: 'h1', csrfToken: 'c1', now: t0, expiresAt: t0 + 1000 });
    expect(await store.operators.session('h1', t0 + 999)).toMatchObject({ operator: { id: op!.id, lastLoginAt: t0 }, csrfToken: 'c1' });
    expect(await store.operators.session('h1', t0 + 1000)).toBeNull();
    expect(await store.operators.session('unknown', t0)).toBeNull();
    await store.operators.openSession({ operatorId: op!.id, tokenHash: 'h2', csrfToken: 'c2', now: t0 + 2000, expiresAt: t0 + 9000 });
    await store.operators.closeSession('h2');
    expect(await store.operators.session('h2', t0 + 2001)).toBeNull();
  });

  describe('evaluations and history', () => {
    let projectId: string;
    const base = (over: Partial<NewEvaluation> = {}): NewEvaluation =>
      newEvaluation(projectId, 'alice', {
        channel: 'client',
        user: { externalId: 'alice', email: 'alice@example.com', phone: null },
        deviceCookieId: 'cookie-a',
        fingerprintHash: 'fp-hash-a',
        userAgent: 'Mozilla/5.0',
        origin: 'https://shop.example',
        metadata: { plan: 'pro', seats: 3, trial: false, note: null },
        checks: { is_new_user: true },
        reasons: ['new_user'],
        now: t0,
        ...over,
      });
    const key = (over: Partial<HistoryKey> = {}): HistoryKey => ({
      projectId,
      userExternalId: 'alice',
      ip: '203.0.113.7',
      fingerprintHash: 'fp-hash-a',
      deviceCookieId: 'cookie-a',
      origin: 'https://shop.example',
      eventCounts: [],
      now: t0 + 1000,
      retentionMs: 180 * 86_400_000,
      ...over,
    });
    const snapshot = async (over: Partial<HistoryKey> = {}) => (await store.history.load(key(over))).snapshot;

    beforeEach(async () => {
      projectId = (await store.projects.create({ name: 'A', allowedOrigins: [], now: t0 })).project.id;
    });

    it("pages the project's evaluations newest first by cursor, filtered, and counts them by day and verdict", async () => {
      // Three at the same millisecond: the cursor's id breaks the tie, so no page repeats or skips one.
      const times = [t0, t0, t0, t0 + 86_400_000, t0 + 86_400_000 + 5];
      for (const [i, now] of times.entries()) {
        await store.evaluations.record(
          base({
            now,
            verdict: i === 4 ? 'deny' : 'allow',
            action: i === 3 ? 'signup' : 'login',
            user: { externalId: i % 2 ? 'bob' : 'alice', email: null, phone: null },
            deviceCookieId: `cookie-${i}`,
          }),
        );
      }
      const seen: string[] = [];
      let after: { createdAt: number; id: string } | undefined;
      for (;;) {
        const page = await store.evaluations.search(projectId, { limit: 2, ...(after ? { after } : {}) });
        seen.push(...page.data.map((e) => e.id));
        expect(page.data.map((e) => e.createdAt)).toEqual([...page.data.map((e) => e.createdAt)].sort((a, b) => b - a));
        if (!page.next) break;
        after = page.next;
      }
      expect(seen).toHaveLength(5);
      expect(new Set(seen).size).toBe(5);
      // The devices page pages the same way, on last use (three devices last used at one millisecond).
      const devices: string[] = [];
      let deviceAfter: { lastSeenAt: number; id: string } | undefined;
      for (;;) {
        const page = await store.devices.search(projectId, { limit: 2, ...(deviceAfter ? { after: deviceAfter } : {}) });
        devices.push(...page.data.map((d) => d.id));
        if (!page.next) break;
        deviceAfter = page.next;
      }
      expect(new Set(devices).size).toBe(5);
      expect((await store.evaluations.search(projectId, { limit: 10, verdict: 'deny' })).data.map((e) => e.createdAt)).toEqual([t0 + 86_400_005]);
      expect((await store.evaluations.search(projectId, { limit: 10, action: 'signup' })).data).toHaveLength(1);
      expect((await store.evaluations.search(projectId, { limit: 10, user: 'bob' })).data).toHaveLength(2);
      expect((await store.evaluations.search(projectId, { limit: 10, from: t0 + 1, to: t0 + 86_400_005 })).data).toHaveLength(1);
      const day = Math.floor(t0 / 86_400_000);
      expect((await store.evaluations.countsByDay(projectId, t0 - 1)).sort((a, b) => a.day - b.day || a.verdict.localeCompare(b.verdict))).toEqual([
        { day, verdict: 'allow', severity: 'low', count: 3 },
        { day: day + 1, verdict: 'allow', severity: 'low', count: 1 },
        { day: day + 1, verdict: 'deny', severity: 'low', count: 1 },
      ]);
    });

    it('has no history for a user never seen, and counts this evaluation as the only one', async () => {
      const { snapshot: s, ids } = await store.history.load(key());
      expect(ids).toEqual({ userId: null, deviceId: null, fingerprintId: null });
      expect(s).toMatchObject({ user: null, ipLastSeenAt: null, fingerprintLastSeenAt: null, deviceLastSeenAt: null, devices: [], originLastSeenAt: null });
      expect(s).toMatchObject({ fingerprintUserCount: 1, deviceUserCount: 1, ipUserCount: 1 });
    });

    it('records the first evaluation with its user, device, fingerprint and IP, and reads it back whole', async () => {
      const recorded = await store.evaluations.record(base());
      expect(recorded.id).toMatch(/^ev_/);
      expect(recorded.user.id).toMatch(/^us_/);
      expect(recorded.deviceId).toMatch(/^dv_/);
      expect(recorded.fingerprintId).toMatch(/^fp_/);
      expect(await store.evaluations.find(projectId, recorded.id)).toEqual(recorded);
      expect(recorded.metadata).toEqual({ plan: 'pro', seats: 3, trial: false, note: null });

      const { snapshot: s, ids } = await store.history.load(key());
      expect(ids).toEqual({ userId: recorded.user.id, deviceId: recorded.deviceId, fingerprintId: recorded.fingerprintId });
      expect(s).toMatchObject({
        user: { firstSeenAt: t0, emailVerified: false, phoneVerified: false, suspended: false },
        ipLastSeenAt: t0,
        fingerprintLastSeenAt: t0,
        deviceLastSeenAt: t0,
        // No other device of the user was active lately: no session to measure, no query made.
        deviceRecentActivity: [],
        originLastSeenAt: t0,
        failedChallengesLastDay: 0,
      });
      // Another IP, fingerprint and device of the same user are still unseen.
      expect(await snapshot({ ip: '198.51.100.1', fingerprintHash: 'x', deviceCookieId: 'y' })).toMatchObject({
        user: { firstSeenAt: t0 },
        ipLastSeenAt: null,
        fingerprintLastSeenAt: null,
        deviceLastSeenAt: null,
        devices: [{ deviceId: recorded.deviceId, firstSeenAt: t0, lastSeenAt: t0, lastLocation: null }],
      });
    });

    it("loads this device's recent activity when another device of the user was active too", async () => {
      await store.evaluations.record(base({ now: t0 }));
      await store.evaluations.record(base({ now: t0 + 60_000, deviceCookieId: 'cookie-b' }));
      await store.evaluations.record(base({ now: t0 + 120_000 }));
      const s = await snapshot({ now: t0 + 180_000 });
      expect(s.deviceRecentActivity).toEqual([t0 + 120_000, t0]);
      expect(s.devices.map((d) => d.lastSeenAt)).toEqual([t0 + 60_000]);
    });

    it('uses the ids the caller allocated for a new device and fingerprint', async () => {
      const recorded = await store.evaluations.record(base({ deviceId: 'dv_chosen', fingerprintId: 'fp_chosen' }));
      expect(recorded).toMatchObject({ deviceId: 'dv_chosen', fingerprintId: 'fp_chosen' });
    });

    it('keeps one user, device and fingerprint across evaluations, and the latest sighting even out of order', async () => {
      const first = await store.evaluations.record(base());
      const second = await store.evaluations.record(base({ now: t0 + 60_000, channel: 'server', user: { externalId: 'alice', email: null, phone: '+4712345678' } }));
      const late = await store.evaluations.record(base({ now: t0 + 30_000 }));
      expect(new Set([first.user.id, second.user.id, late.user.id]).size).toBe(1);
      expect(second.deviceId).toBe(first.deviceId);
      expect(second.fingerprintId).toBe(first.fingerprintId);
      expect(await snapshot({ now: t0 + 120_000 })).toMatchObject({ user: { firstSeenAt: t0 }, ipLastSeenAt: t0 + 60_000 });
      const user = await store.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
      // An evaluation without the email does not erase it; the backend's with a phone adds it.
      expect(user).toMatchObject({ email: 'alice@example.com', phone: '+4712345678', last_seen_at: t0 + 60_000 });
    });

    it('keeps users of different projects apart', async () => {
      const other = (await store.projects.create({ name: 'B', allowedOrigins: [], now: t0 })).project.id;
      const a = await store.evaluations.record(base());
      const b = await store.evaluations.record({ ...base(), projectId: other });
      expect(a.user.id).not.toBe(b.user.id);
      expect(a.deviceId).not.toBe(b.deviceId);
      expect(await store.evaluations.find(other, a.id)).toBeNull();
    });

    it('records two first evaluations of one user that race, as one user', async () => {
      const results = await Promise.all([store.evaluations.record(base()), store.evaluations.record(base({ now: t0 + 1 }))]);
      expect(results[0].user.id).toBe(results[1].user.id);
      expect(await store.db.selectFrom('users').select('id').execute()).toHaveLength(1);
    });

    it('keeps evaluations by month on PostgreSQL: months made ahead, a month past retention dropped whole', async () => {
      const day = 86_400_000;
      const month = (offset: number) => monthStartOf(Date.now(), offset);
      if (store.dialect === 'sqlite') {
        expect(await store.retention.rollPartitions(month(4), month(2))).toEqual({ made: [], dropped: [] });
        return;
      }
      const partitionsNow = async () =>
        (
          await store.db
            .selectFrom(sql<{ relname: string }>`(select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'evaluations'::regclass)`.as('p'))
            .select('relname')
            .execute()
        )
          .map((r) => r.relname)
          .sort();
      const name = (offset: number) => `evaluations_y${new Date(month(offset)).getUTCFullYear()}m${String(new Date(month(offset)).getUTCMonth() + 1).padStart(2, '0')}`;
      // The migration: the table as it was holds everything before next month; the next two are made.
      expect(await partitionsNow()).toEqual(['evaluations_before_partitioning', 'evaluations_default', name(1), name(2)].sort());
      const before = await store.evaluations.record(base({ now: month(1) - day }));
      const nextMonth = await store.evaluations.record(base({ now: month(1) + day }));
      const later = await store.evaluations.record(base({ now: month(2) + day }));
      // Four months on: that month and the two after it are made; the one between has none yet.
      expect(await store.retention.rollPartitions(month(4) + day, 0)).toEqual({ made: [name(4), name(5), name(6)], dropped: [] });
      const farOff = await store.evaluations.record(base({ now: month(3) + day }));
      expect(await store.retention.rollPartitions(month(4) + day, month(2))).toEqual({ made: [], dropped: ['evaluations_before_partitioning', name(1)].sort() });
      expect(await store.evaluations.find(projectId, before.id)).toBeNull();
      expect(await store.evaluations.find(projectId, nextMonth.id)).toBeNull();
      // Everything after the cutoff is still there, the default partition's too, and consumes once.
      for (const kept of [later, farOff]) {
        expect(await store.evaluations.find(projectId, kept.id)).toEqual(kept);
        expect((await store.evaluations.consume(projectId, kept.id, month(4))).status).toBe('consumed');
        expect((await store.evaluations.consume(projectId, kept.id, month(4))).status).toBe('already_consumed');
      }
      expect(await partitionsNow()).toEqual(['evaluations_default', name(2), name(4), name(5), name(6)].sort());
    });

    it('consumes an evaluation exactly once, and only within its project', async () => {
      const { id } = await store.evaluations.record(base());
      const other = (await store.projects.create({ name: 'B', allowedOrigins: [], now: t0 })).project.id;
      expect(await store.evaluations.consume(other, id, t0 + 1)).toEqual({ status: 'not_found' });
      const results = await Promise.all([store.evaluations.consume(projectId, id, t0 + 5), store.evaluations.consume(projectId, id, t0 + 6)]);
      expect(results.map((r) => r.status).sort()).toEqual(['already_consumed', 'consumed']);
      const stored = await store.evaluations.find(projectId, id);
      expect(stored?.consumedAt).toBeOneOf([t0 + 5, t0 + 6]);
      expect(await store.evaluations.consume(projectId, 'ev_missing', t0)).toEqual({ status: 'not_found' });
    });

    it('answers the located neighbours of a moment, before and after (out-of-order arrivals)', async () => {
      const oslo = { latitude: 59.91, longitude: 10.75, accuracyKm: 20, precision: 'city' as const, country: 'NO', ipType: 'residential' };
      const paris = { latitude: 48.86, longitude: 2.35, accuracyKm: 20, precision: 'city' as const, country: 'FR', ipType: 'relay' };
      await store.evaluations.record(base({ now: t0, place: oslo }));
      await store.evaluations.record(base({ now: t0 + 600_000, place: null }));
      await store.evaluations.record(base({ now: t0 + 3_600_000, place: paris }));
      const middle = await snapshot({ now: t0 + 1_800_000 });
      expect(middle.locatedBefore).toMatchObject({ at: t0, country: 'NO', relay: false, location: { latitude: 59.91, longitude: 10.75, accuracyKm: 20, precision: 'city' } });
      expect(middle.locatedAfter).toMatchObject({ at: t0 + 3_600_000, country: 'FR', relay: true });
      expect((await snapshot({ now: t0 + 7_200_000 })).locatedAfter).toBeNull();
      // The device remembers where its person last was: Oslo, since the Paris address was a relay.
      expect((await snapshot({ deviceCookieId: 'other', fingerprintHash: 'other-fp', now: t0 + 7_200_000 })).devices[0]?.lastLocation).toMatchObject({ latitude: 59.91 });
    });

    it('counts the users of a fingerprint, device and IP within retention, this one included', async () => {
      await store.evaluations.record(base());
      await store.evaluations.record(base({ user: { externalId: 'bob', email: null, phone: null } }));
      await store.evaluations.record(base({ user: { externalId: 'carol', email: null, phone: null }, now: t0 - 200 * 86_400_000 }));
      expect(await snapshot()).toMatchObject({ fingerprintUserCount: 2, deviceUserCount: 2, ipUserCount: 2 });
      expect(await snapshot({ userExternalId: 'dave' })).toMatchObject({ fingerprintUserCount: 3, deviceUserCount: 3, ipUserCount: 3 });
    });

    it('counts events in sliding windows, exact to the millisecond, by user, IP, fingerprint and device', async () => {
      for (const dt of [0, 30_000, 59_999, 60_000]) await store.evaluations.record(base({ now: t0 + dt }));
      await store.evaluations.record(base({ now: t0 + 10_000, action: 'signup' }));
      const q = (by: 'user' | 'ip' | 'fingerprint' | 'device', action = 'login') => ({ key: `${by}:${action}`, action, windowMs: 60_000, by });
      const s = await snapshot({ now: t0 + 60_000, eventCounts: [q('user'), q('ip'), q('fingerprint'), q('device'), q('user', '*')] });
      // (now − 60 s, now]: t0 itself has left the window; this evaluation counts as one more.
      expect(s.eventCounts).toEqual({ 'user:login': 4, 'ip:login': 4, 'fingerprint:login': 4, 'device:login': 4, 'user:*': 5 });
    });

    it('applies the effects in the same transaction: suspend, list add and remove, device conflict, challenge', async () => {
      const first = await store.evaluations.record(base());
      // A second device, so that the user has two devices to be in conflict.
      await store.evaluations.record(base({ deviceCookieId: 'cookie-b', now: t0 + 500 }));
      await store.lists.create({ projectId, name: 'blocked', type: 'ip', now: t0 });
      const second = await store.evaluations.record(
        base({
          now: t0 + 1000,
          verdict: 'challenge',
          challenge: { id: 'ch_test1', type: 'account_takeover', method: 'verification', status: 'created', channels: ['email'], reasons: [] },
          effects: [
            { type: 'suspend_user' },
            { type: 'add_to_list', list: 'blocked', kind: 'ip', value: '203.0.113.7' },
            { type: 'add_to_list', list: 'new-list', kind: 'email', value: 'alice@example.com' },
            { type: 'record_device_conflict', devices: ['dv_b', 'dv_a'] },
            {
              type: 'open_challenge',
              policy: 'po_1',
              challenge: { type: 'verification', channels: ['email'], success_url: 'https://shop.example/ok', kind: 'account_takeover', reasons: ['new_ip'] },
            },
          ],
        }),
      );
      expect((await snapshot({ now: t0 + 2000 })).user?.suspended).toBe(true);
      const lists = await store.lists.list(projectId);
      expect(lists.map((l) => [l.name, l.type, l.entries])).toEqual([
        ['blocked', 'ip', 1],
        ['new-list', 'email', 1],
      ]);
      expect((await snapshot({ now: t0 + 2000 })).deviceConflicts).toEqual([['dv_a', 'dv_b']]);
      expect(await store.challenges.find(projectId, 'ch_test1')).toMatchObject({
        evaluationId: second.id,
        userId: first.user.id,
        kind: 'account_takeover',
        method: 'verification',
        channels: ['email'],
        reasons: ['new_ip'],
        config: { success_url: 'https://shop.example/ok' },
        status: 'created',
      });
      const blocked = (await store.lists.find(projectId, 'blocked'))!;
      await store.evaluations.record(base({ now: t0 + 3000, effects: [{ type: 'remove_from_list', list: 'blocked', kind: 'ip', value: '203.0.113.7' }] }));
      expect(await store.lists.entries(blocked.id, { limit: 10 })).toEqual([]);
    });

    it('rolls back the evaluation when an effect fails, so nothing half-lands', async () => {
      const before = await store.db.selectFrom('evaluations').select('id').execute();
      await expect(
        store.evaluations.record(base({ effects: [{ type: 'open_challenge', policy: 'po_1', challenge: { type: 'verification', kind: 'account_takeover', reasons: [] } }] })),
      ).rejects.toThrow(/challenge id/);
      expect(await store.db.selectFrom('evaluations').select('id').execute()).toEqual(before);
      expect(await store.db.selectFrom('users').select('id').execute()).toEqual([]);
    });
  });

  describe('policies and lists', () => {
    let projectId: string;
    beforeEach(async () => {
      projectId = (await store.projects.create({ name: 'A', allowedOrigins: [], now: t0 })).project.id;
    });
    const body = (name: string, priority: number) => ({
      name,
      events: ['login'],
      priority,
      enabled: true,
      conditions: { field: 'is_new_ip', operator: 'eq' as const, value: true },
      action: { type: 'deny' as const },
    });

    it('keeps every version of a policy and lists policies in the order they run', async () => {
      const a = await store.policies.create({ projectId, environment: 'production', body: body('A', 20), now: t0 });
      await store.policies.create({ projectId, environment: 'production', body: body('B', 10), now: t0 });
      await store.policies.create({ projectId, environment: 'development', body: body('C', 1), now: t0 });
      const updated = await store.policies.update({ projectId, id: a.id, body: { ...body('A2', 5), enabled: false }, now: t0 + 1 });
      expect(updated).toMatchObject({ name: 'A2', version: 2, enabled: false, priority: 5 });
      expect((await store.policies.list(projectId, 'production')).map((p) => p.name)).toEqual(['A2', 'B']);
      expect((await store.policies.versions(projectId, a.id))?.map((v) => [v.version, v.policy.name])).toEqual([
        [2, 'A2'],
        [1, 'A'],
      ]);
      expect(await store.policies.remove(projectId, a.id, t0 + 2)).toBe(true);
      expect(await store.policies.find(projectId, a.id)).toBeNull();
      expect((await store.policies.versions(projectId, a.id))?.length).toBe(2);
      expect(await store.policies.update({ projectId, id: a.id, body: body('X', 1), now: t0 + 3 })).toBeNull();
    });

    it('matches evaluation values against lists, honouring expiry and CIDR ranges', async () => {
      const emails = (await store.lists.create({ projectId, name: 'vip', type: 'email', now: t0 }))!;
      const ips = (await store.lists.create({ projectId, name: 'office', type: 'cidr', now: t0 }))!;
      await store.lists.create({ projectId, name: 'countries', type: 'country', now: t0 });
      expect(await store.lists.create({ projectId, name: 'vip', type: 'ip', now: t0 })).toBeNull();
      expect(await store.lists.add({ listId: emails.id, values: ['a@x.io', 'b@x.io', 'a@x.io'], expiresAt: null, now: t0 })).toEqual({ added: 2, total: 2 });
      await store.lists.add({ listId: emails.id, values: ['old@x.io'], expiresAt: t0 + 1000, now: t0 });
      await store.lists.add({ listId: ips.id, values: ['10.0.0.0/8'], expiresAt: null, now: t0 });
      const inOffice = (cidr: string): boolean => cidr === '10.0.0.0/8';
      const match = async (values: Record<string, string>, now = t0 + 10, cidr = inOffice) =>
        Object.fromEntries((await store.lists.membership(projectId, () => values, now, cidr)).map((m) => [m.name, m.matched]));
      expect(await match({ email: 'a@x.io', ip: '10.1.2.3' })).toEqual({ countries: false, office: true, vip: true });
      expect(await match({ email: 'old@x.io', ip: '10.1.2.3' }, t0 + 999)).toMatchObject({ vip: true });
      expect(await match({ email: 'old@x.io', ip: '10.1.2.3' }, t0 + 1000, () => false)).toEqual({ countries: false, office: false, vip: false });
      // A value of another type never matches: an email list does not hold user ids.
      expect(await match({ user: 'a@x.io' })).toMatchObject({ vip: false });
      expect(await store.lists.remove({ listId: emails.id, values: ['a@x.io', 'nope'] })).toEqual({ removed: 1, total: 2 });
    });
  });
});
