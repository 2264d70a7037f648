import { createDelivery } from '../challenges/delivery.js';
import { randomBytes } from 'node:crypto';
import { type Store, openStore } from '@vigil/store';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.js';
import { hashPassword } from '../operators/password.js';
import { type Config, type RateLimits, loadConfig } from '../config/config.js';
import { createProject } from '../use-cases/create-project.js';
import { PolicyCache } from '../use-cases/policy-cache.js';
import { MemoryCounters, RateLimiter } from '../rate-limits/index.js';
import { Intel, MailExchanger } from '@vigil/intel';
import { WebhookEndpointCache } from '../webhooks/endpoint-cache.js';
import { acceptAllProbeFor } from '../destinations/accept-all-probe.js';

// Each test makes its own tenant on a real database: SQLite in memory, or a fresh PostgreSQL schema
// (dropped when the run ends). PostgreSQL must be running (.ci/run starts it); if not, these tests fail loudly.

export const postgresUrl = process.env.VIGIL_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export type TestDialect = 'sqlite' | 'postgres';

export interface Harness {
  app: FastifyInstance;
  store: Store;
  config: Config;
  clock: { now: number };
  project: { id: string; clientId: string; secretKey: string };
  /** A second project, to prove one project never sees another's data. */
  other: { id: string; clientId: string; secretKey: string };
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  /**
   * Lowers (or raises) some rate limits for one test, every count forgotten, and returns the function
   * that puts them back: a harness shared by many tests can still test a limit from zero.
   */
  setRateLimits(limits: Partial<RateLimits>): () => void;
  close(): Promise<void>;
}

export async function openTestStore(dialect: TestDialect): Promise<Store> {
  if (dialect === 'sqlite') {
    return openStore({ dialect: 'sqlite', file: ':memory:' });
  }
  const schema = `t_srv_${process.env.VIGIL_TEST_RUN ?? '0'}_${randomBytes(6).toString('hex')}`;
  // The schema is dropped when the run ends (vitest.global-setup.ts), not here: see there why.
  return openStore({ dialect: 'postgres', url: postgresUrl, schema, poolSize: 4 });
}

// The reference data is read-only and large: one copy per test worker, shared by every harness.
let intel: Intel | undefined;
const sharedIntel = () => (intel ??= Intel.load());

export async function createHarness(
  options: { dialect?: TestDialect; env?: Record<string, string>; origins?: string[]; logger?: boolean; logStream?: NodeJS.WritableStream } = {},
): Promise<Harness> {
  const store = await openTestStore(options.dialect ?? 'sqlite');
  await store.migrate();
  const config = loadConfig({ VIGIL_DATA_DIR: '/nonexistent', ...options.env });
  const clock = { now: Date.UTC(2026, 10, 25, 12, 0, 0) };
  const now = () => clock.now;
  const counters = new MemoryCounters();
  const mailExchanger = config.dns ? new MailExchanger({ servers: config.dns.servers, timeoutMs: 300 }) : null;
  const deps = {
    config,
    store,
    now,
    publicUrl: () => 'http://vigil.test',
    policies: new PolicyCache(store, now),
    webhookEndpoints: new WebhookEndpointCache(store, now),
    redis: null,
    intel: sharedIntel(),
    mailExchanger,
    acceptAll: acceptAllProbeFor(config, mailExchanger, { timeoutMs: 1000 }),
    delivery: createDelivery(config, { info: () => undefined, warn: () => undefined }),
    sealSecret: config.secret ?? randomBytes(32).toString('base64url'),
    rateLimiter: new RateLimiter(counters, config.rateLimits, now),
  };
  const make = async (name: string, origins: string[]) => {
    const created = await createProject(deps, { name, origins });
    return { id: created.project.id, clientId: created.project.clientId, secretKey: created.secretKey };
  };
  const project = await make('Test', options.origins ?? []);
  const other = await make('Other', []);
  const app = await buildApp(deps, { logger: options.logger ?? false, logStream: options.logStream });
  return {
    app,
    store,
    config,
    clock,
    project,
    other,
    inject: (o) => app.inject(o),
    setRateLimits: (limits) => {
      // The limiter reads config.rateLimits on every request, so changing it here takes effect at once.
      const saved = { ...config.rateLimits };
      Object.assign(config.rateLimits, limits);
      counters.clear();
      return () => {
        Object.assign(config.rateLimits, saved);
        counters.clear();
      };
    },
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}

export const bearer = (secretKey: string) => ({ authorization: `Bearer ${secretKey}` });

/** A browser's evaluation: nonce (keeping the device cookie it sets), then evaluate with that cookie. */
export async function browserEvaluate(h: Harness, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const nonceRes = await h.inject({ method: 'POST', url: '/v3/client/nonce', payload: { client_id: h.project.clientId }, headers });
  const cookie = nonceRes.cookies.find((c) => c.name === 'vigil_did');
  const res = await h.inject({
    method: 'POST',
    url: '/v3/client/evaluate',
    payload: { client_id: h.project.clientId, nonce: nonceRes.json().nonce, ...body },
    headers: { ...headers, ...(cookie ? { cookie: `vigil_did=${cookie.value}` } : {}) },
  });
  return { res, deviceCookie: cookie?.value };
}

/** An operator logged in to the dashboard: the headers its SPA sends (session cookie and CSRF token). */
export async function operatorSession(h: Harness, email = 'ops@example.test', password = 'a long operator passphrase') {
  await h.store.operators.create({ email, passwordHash: await hashPassword(password), now: h.clock.now });
  const login = await h.inject({
    method: 'POST',
    url: '/dashboard/login',
    payload: new URLSearchParams({ email, password }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const cookie = login.cookies.find((c) => c.name === 'vigil_session');
  if (!cookie) throw new Error(`dashboard login failed: ${login.statusCode}`);
  const session = await h.inject({ method: 'GET', url: '/dashboard/api/session', headers: { cookie: `vigil_session=${cookie.value}` } });
  return { headers: { cookie: `vigil_session=${cookie.value}`, 'x-vigil-csrf': session.json().csrf as string } };
}
