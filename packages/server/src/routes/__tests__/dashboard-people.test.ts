import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, type TestDialect, browserEvaluate, createHarness, operatorSession } from '../../test-support/harness.js';

// The dashboard's people page on both databases: accounts linked by a shared device (and its
// fingerprint), never by a shared public IP alone; the graph's second ring; the fewest people behind an
// account, from two of its devices active together from places too far apart for one person.
const UA = {
  laptop: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
  phone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1',
};
const OSLO = '84.208.1.1';
const SYDNEY = '139.130.4.5';

describe.each(['sqlite', 'postgres'] as TestDialect[])('people and linked accounts on %s', (dialect) => {
  let h: Harness;
  let get: (url: string) => Promise<{ status: number; body: any }>;
  beforeEach(async () => {
    h = await createHarness({ dialect, env: { TRUSTED_PROXIES: '127.0.0.1' } });
    const session = await operatorSession(h);
    get = async (url) => {
      const res = await h.inject({ method: 'GET', url, headers: session.headers });
      return { status: res.statusCode, body: res.json() };
    };
  });
  afterEach(() => h.close());

  const login = async (user: string, options: { ua?: string; ip?: string; cookie?: string; fingerprint?: string } = {}) => {
    const { res, deviceCookie } = await browserEvaluate(
      h,
      { action: 'login', user, ...(options.fingerprint ? { signals: { fingerprint: options.fingerprint } } : {}) },
      { 'user-agent': options.ua ?? UA.laptop, 'x-forwarded-for': options.ip ?? OSLO, ...(options.cookie ? { cookie: `vigil_did=${options.cookie}` } : {}) },
    );
    expect(res.statusCode, res.body).toBe(200);
    return deviceCookie ?? options.cookie!;
  };
  const links = (user?: string) => get(`/dashboard/api/projects/${h.project.id}/links${user ? `?user=${encodeURIComponent(user)}` : ''}`);

  it('links accounts by a shared device, two rings out, and says which device and when', async () => {
    // alice and bob share a laptop; bob and carol share a phone; dave only shares their public IP.
    const laptop = await login('alice');
    h.clock.now += 60_000;
    await login('bob', { cookie: laptop });
    const phone = await login('bob', { ua: UA.phone, fingerprint: 'f'.repeat(64) });
    h.clock.now += 60_000;
    await login('carol', { ua: UA.phone, cookie: phone, fingerprint: 'f'.repeat(64) });
    await login('dave');

    const { status, body } = await links('alice');
    expect(status).toBe(200);
    expect(body.accounts.map((a: { user: string; depth: number }) => [a.user, a.depth])).toEqual([
      ['alice', 0],
      ['bob', 1],
      ['carol', 2],
    ]);
    const laptopThing = body.shared.find(
      (t: { kind: string; id: string }) => t.kind === 'device' && body.sightings.some((s: { user: string; thing: string }) => s.user === 'alice' && s.thing === t.id),
    );
    expect(laptopThing).toMatchObject({ device_class: 'computer', browser: 'Chrome', os: 'Windows', user_count: 2 });
    const onLaptop = body.sightings
      .filter((s: { thing: string }) => s.thing === laptopThing.id)
      .map((s: { user: string }) => s.user)
      .sort();
    expect(onLaptop).toEqual(['alice', 'bob']);
    // bob and carol are tied by the phone and by the phone's fingerprint.
    const bobCarol = body.shared.filter((t: { id: string }) => body.sightings.some((s: { user: string; thing: string }) => s.user === 'carol' && s.thing === t.id));
    expect(bobCarol.map((t: { kind: string }) => t.kind).sort()).toEqual(['device', 'fingerprint']);
    expect(body.accounts.some((a: { user: string }) => a.user === 'dave')).toBe(false);
    expect(body.people).toMatchObject({ count: 1, conflicts: [] });

    // Without an account: the shared devices and fingerprints, most recent first, with their accounts.
    const start = await links();
    expect(start.status).toBe(200);
    const kinds = start.body.shared.map((t: { kind: string; users: string[] }) => `${t.kind}:${[...t.users].sort().join('+')}`);
    expect(kinds.sort()).toEqual(['device:alice+bob', 'device:bob+carol', 'fingerprint:bob+carol']);
  });

  it('counts two people behind an account whose devices were active together from Oslo and Sydney', async () => {
    // The laptop in Oslo, the phone in Sydney a minute later, the laptop again: both sessions were live.
    const laptop = await login('erin');
    h.clock.now += 60_000;
    await login('erin', { ua: UA.phone, ip: SYDNEY });
    h.clock.now += 60_000;
    await login('erin', { cookie: laptop });
    const { body } = await links('erin');
    expect(body.people.count).toBe(2);
    expect(body.people.devices).toHaveLength(2);
    expect(body.people.conflicts).toHaveLength(1);
    expect(body.accounts).toEqual([{ user: 'erin', email: null, is_suspended: false, depth: 0 }]);
  });

  it('answers a clear error for an unknown account, and nothing of another project', async () => {
    await login('alice');
    expect(await links('nobody')).toMatchObject({ status: 404, body: { error: { code: 'USER_NOT_FOUND' } } });
    const other = await get(`/dashboard/api/projects/${h.other.id}/links?user=alice`);
    expect(other).toMatchObject({ status: 404, body: { error: { code: 'USER_NOT_FOUND' } } });
    const bad = await get(`/dashboard/api/projects/${h.project.id}/links?user=alice&depth=9`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_ERROR');
  });
});
