import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type NewEvaluation, type Store, openStore } from './index.js';

// One contract, both dialects. PostgreSQL is real (127.0.0.1:5432, started by .ci/run): when it is not
// there these tests fail loudly rather than skip.
const postgresUrl = process.env.VIGIL_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const schemas: string[] = [];

const dialects = {
  sqlite: () => openStore({ dialect: 'sqlite', file: ':memory:' }),
  postgres: () => {
    const schema = `t_store_${randomBytes(6).toString('hex')}`;
    schemas.push(schema);
    return openStore({ dialect: 'postgres', url: postgresUrl, schema, poolSize: 4 });
  },
};

afterAll(async () => {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
});

const t0 = Date.UTC(2026, 10, 25, 9, 0, 0);

describe.each(Object.entries(dialects))('store on %s', (_name, open) => {
  let store: Store;
  beforeEach(async () => {
    store = await open();
    expect(await store.migrate()).toEqual(['20261125T0200_initial']);
  });
  afterEach(() => store.close());

  it('migrates once: a second run applies nothing', async () => {
    expect(await store.migrate()).toEqual([]);
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
    const redeem = (nonce: string, deviceCookieId: string | null, now = t0 + 1000) =>
      store.nonces.redeem({ projectId: project.id, nonce, deviceCookieId, now });

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
    const results = await Promise.all(
      Array.from({ length: 5 }, () => store.nonces.redeem({ projectId: project.id, nonce, deviceCookieId: 'd', now: t0 + 1 })),
    );
    expect(results.filter((r) => r === 'valid')).toHaveLength(1);
    expect(results.filter((r) => r === 'consumed')).toHaveLength(4);
  });

  it('prunes expired nonces', async () => {
    const { project } = await store.projects.create({ name: 'A', allowedOrigins: [], now: t0 });
    await store.nonces.issue({ projectId: project.id, deviceCookieId: 'd', now: t0, ttlMs: 1000 });
    await store.nonces.issue({ projectId: project.id, deviceCookieId: 'd', now: t0, ttlMs: 10_000 });
    expect(await store.nonces.prune(t0 + 5000)).toBe(1);
  });

  describe('evaluations and history', () => {
    let projectId: string;
    const base = (over: Partial<NewEvaluation> = {}): NewEvaluation => ({
      projectId,
      environment: 'production',
      channel: 'client',
      action: 'login',
      user: { externalId: 'alice', email: 'alice@example.com', phone: null },
      deviceCookieId: 'cookie-a',
      fingerprintHash: 'fp-hash-a',
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0',
      origin: 'https://shop.example',
      metadata: { plan: 'pro', seats: 3, trial: false, note: null },
      verdict: 'allow',
      checks: { is_new_user: true },
      reasons: ['new_user'],
      risks: [],
      now: t0,
      ...over,
    });
    const key = { userExternalId: 'alice', ip: '203.0.113.7', fingerprintHash: 'fp-hash-a', deviceCookieId: 'cookie-a' };

    beforeEach(async () => {
      projectId = (await store.projects.create({ name: 'A', allowedOrigins: [], now: t0 })).project.id;
    });

    it('has no history for a user never seen', async () => {
      expect(await store.history.load({ projectId, ...key })).toEqual({
        user: null,
        ipLastSeenAt: null,
        fingerprintLastSeenAt: null,
        deviceLastSeenAt: null,
      });
    });

    it('records the first evaluation with its user, device, fingerprint and IP, and reads it back whole', async () => {
      const recorded = await store.evaluations.record(base());
      expect(recorded.id).toMatch(/^ev_/);
      expect(recorded.user.id).toMatch(/^us_/);
      expect(recorded.deviceId).toMatch(/^dv_/);
      expect(recorded.fingerprintId).toMatch(/^fp_/);
      expect(await store.evaluations.find(projectId, recorded.id)).toEqual(recorded);
      expect(recorded.metadata).toEqual({ plan: 'pro', seats: 3, trial: false, note: null });

      expect(await store.history.load({ projectId, ...key })).toEqual({
        user: { firstSeenAt: t0 },
        ipLastSeenAt: t0,
        fingerprintLastSeenAt: t0,
        deviceLastSeenAt: t0,
      });
      // Another IP, fingerprint and device of the same user are still unseen.
      expect(await store.history.load({ projectId, userExternalId: 'alice', ip: '198.51.100.1', fingerprintHash: 'x', deviceCookieId: 'y' })).toEqual({
        user: { firstSeenAt: t0 },
        ipLastSeenAt: null,
        fingerprintLastSeenAt: null,
        deviceLastSeenAt: null,
      });
    });

    it('keeps one user, device and fingerprint across evaluations, and the latest sighting even out of order', async () => {
      const first = await store.evaluations.record(base());
      const second = await store.evaluations.record(base({ now: t0 + 60_000, user: { externalId: 'alice', email: null, phone: '+4712345678' } }));
      const late = await store.evaluations.record(base({ now: t0 + 30_000 }));
      expect(new Set([first.user.id, second.user.id, late.user.id]).size).toBe(1);
      expect(second.deviceId).toBe(first.deviceId);
      expect(second.fingerprintId).toBe(first.fingerprintId);
      expect(await store.history.load({ projectId, ...key })).toMatchObject({ user: { firstSeenAt: t0 }, ipLastSeenAt: t0 + 60_000 });
      const user = await store.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
      // An evaluation without the email does not erase it; one with a phone adds it.
      expect(user).toMatchObject({ email: 'alice@example.com', phone: '+4712345678', last_seen_at: t0 + 60_000 });
    });

    it('keeps users of different projects apart', async () => {
      const other = (await store.projects.create({ name: 'B', allowedOrigins: [], now: t0 })).project.id;
      const a = await store.evaluations.record(base());
      const b = await store.evaluations.record(base({ projectId: other }));
      expect(a.user.id).not.toBe(b.user.id);
      expect(a.deviceId).not.toBe(b.deviceId);
      expect(await store.evaluations.find(other, a.id)).toBeNull();
    });

    it('records two first evaluations of one user that race, as one user', async () => {
      const results = await Promise.all([store.evaluations.record(base()), store.evaluations.record(base({ now: t0 + 1 }))]);
      expect(results[0].user.id).toBe(results[1].user.id);
      expect(await store.db.selectFrom('users').select('id').execute()).toHaveLength(1);
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
  });
});
