import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, type TestDialect, bearer, createHarness } from '../../test-support/harness.js';
import { purgeExpired } from '../../use-cases/retention.js';

// Retention on both databases: a project's own period (or the instance's 180 days), and the purge that
// deletes evaluations, challenges and sightings past it, one project at a time.
const DAY = 86_400_000;

describe.each(['sqlite', 'postgres'] as TestDialect[])('retention on %s', (dialect) => {
  let h: Harness;
  let api: (method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown, key?: string) => Promise<{ status: number; body: any }>;
  beforeEach(async () => {
    h = await createHarness({ dialect });
    api = async (method, url, payload, key = h.project.secretKey) => {
      const res = await h.inject({ method, url, headers: bearer(key), ...(payload === undefined ? {} : { payload: payload as object }) });
      return { status: res.statusCode, body: res.statusCode === 204 ? null : res.json() };
    };
  });
  afterEach(() => h.close());
  const purge = () => purgeExpired({ config: h.config, store: h.store, now: () => h.clock.now });
  const evaluate = (user: string, key?: string) => api('POST', '/v3/evaluations', { action: 'login', user, ip: '84.208.1.1' }, key);

  it("keeps the instance's 180 days until the project sets its own, and validates the setting", async () => {
    expect(await api('GET', '/v3/settings/retention')).toEqual({ status: 200, body: { days: 180, source: 'instance', instance_days: 180 } });
    expect(await api('PUT', '/v3/settings/retention', { days: 30 })).toEqual({ status: 200, body: { days: 30, source: 'project', instance_days: 180 } });
    expect((await api('GET', '/v3/settings/retention')).body).toMatchObject({ days: 30, source: 'project' });
    for (const days of [0, 3651, 1.5, '30']) {
      const bad = await api('PUT', '/v3/settings/retention', { days });
      expect(bad.status, JSON.stringify(days)).toBe(400);
      expect(bad.body.error.code).toBe('VALIDATION_ERROR');
    }
    expect((await api('GET', '/v3/settings/retention')).body.days).toBe(30);
    expect((await api('PUT', '/v3/settings/retention', { days: null })).body).toMatchObject({ days: 180, source: 'instance' });
  });

  it("deletes what is past the project's retention and nothing newer, nor another project's", async () => {
    const old = await evaluate('alice');
    const othersOld = await evaluate('alice', h.other.secretKey);
    h.clock.now += 40 * DAY;
    const recent = await evaluate('bob');
    expect((await api('PUT', '/v3/settings/retention', { days: 30 })).status).toBe(200);

    const purged = await purge();
    expect(purged.get(h.project.id)).toMatchObject({ evaluations: 1 });
    expect(purged.get(h.other.id)).toMatchObject({ evaluations: 0 });
    expect((await api('GET', `/v3/evaluations/${old.body.id}`)).status).toBe(404);
    expect((await api('GET', `/v3/evaluations/${recent.body.id}`)).status).toBe(200);
    expect((await api('GET', `/v3/evaluations/${othersOld.body.id}`, undefined, h.other.secretKey)).status).toBe(200);
    // alice's IP sighting went with it: her next login from that IP is from a new IP again.
    const again = await evaluate('alice');
    expect(again.body.checks.is_new_ip).toBe(true);
    // A second purge finds nothing more.
    expect((await purge()).get(h.project.id)).toEqual({ evaluations: 0, challenges: 0, sightings: 0 });
  });
});
