import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, type TestDialect, bearer, createHarness } from '../../test-support/harness.js';

// The familiar set learns only from trusted logins, on both dialects: a low-risk login at once; a medium
// one (or a challenged one) held apart until the backend consumes it or its user passes the verification,
// dropped when the verification fails; a high one learned only through a passed verification; a
// development key's logins never.
const LAPTOP = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1';
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0';
const HOME = '84.208.1.1';
/** Another Norwegian provider (Telenor Norge, AS2119): with another browser, a medium-risk login. */
const ELSEWHERE = '77.16.1.1';

describe.each(['sqlite', 'postgres'] as TestDialect[])('learning the familiar set on %s', (dialect) => {
  let h: Harness;
  let dir: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-sms-'));
    h = await createHarness({ dialect, env: { VIGIL_SMS: `file:${join(dir, 'sms.jsonl')}` } });
  });
  afterEach(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const api = async (method: 'GET' | 'POST', url: string, payload?: unknown, key = h.project.secretKey) => {
    const res = await h.inject({ method, url, headers: bearer(key), ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };
  const login = async (ua: string, key = h.project.secretKey, ip = HOME) => {
    const res = await api('POST', '/v3/evaluations', { action: 'login', user: 'alice', phone: '+4791234567', ip, user_agent: ua }, key);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    h.clock.now += 60_000;
    return res.body as { id: string; verdict: string; checks: Record<string, unknown>; risks: { category: string; severity: string }[]; challenge?: { id: string } };
  };
  const familiar = async () => (await h.store.familiarity.of(h.project.id, 'alice'))!;
  const lastCode = () => /^(\d{6}) is your/.exec((JSON.parse(readFileSync(join(dir, 'sms.jsonl'), 'utf8').trim().split('\n').at(-1)!) as { text: string }).text)![1]!;
  const ato = (e: { risks: { category: string; severity: string }[] }) => e.risks.find((r) => r.category === 'ato')!.severity;

  /** Alice's laptop at home, twice: both trusted. */
  const atHome = async () => {
    await login(LAPTOP);
    await login(LAPTOP);
    expect((await familiar()).trustedLogins).toBe(2);
  };

  it('learns a visit once: page views seconds after a login teach nothing and write nothing, the next visit is learned', async () => {
    await atHome();
    const storedRow = async () => {
      const row = await h.store.db
        .selectFrom('users')
        .select(['familiarity', 'last_seen_at'])
        .where('project_id', '=', h.project.id)
        .where('external_id', '=', 'alice')
        .executeTakeFirstOrThrow();
      return { ...row, last_seen_at: Number(row.last_seen_at) };
    };
    const before = await storedRow();
    // The login just learned was a minute ago on the test clock.
    expect(before.last_seen_at).toBe(h.clock.now - 60_000);
    // The same laptop at home, every few seconds: the visit of the login just learned.
    h.clock.now -= 55_000;
    for (let k = 0; k < 5; k++) {
      const view = await api('POST', '/v3/evaluations', { action: 'access', user: 'alice', ip: HOME, user_agent: LAPTOP });
      expect(view.status, JSON.stringify(view.body)).toBe(201);
      expect(view.body.checks).toMatchObject({ trusted_login_count: 2, ua_is_new: false });
      h.clock.now += 5_000;
    }
    // Neither the set nor the row: the user's last-seen time moves at most once a minute.
    expect(await storedRow()).toEqual(before);
    // A minute after the last one learned: another visit, learned.
    h.clock.now += 60_000;
    await login(LAPTOP);
    expect((await familiar()).trustedLogins).toBe(3);
    expect((await familiar()).values.user_agent?.[LAPTOP]?.count).toBe(3);
  });

  it('holds a medium-risk login apart until the backend consumes it, then learns it', async () => {
    await atHome();
    const other = await login(FIREFOX, undefined, ELSEWHERE);
    expect(ato(other)).toBe('medium');
    expect(other.checks).toMatchObject({ ua_family_is_new: true, os_is_new: false, asn_is_new: true });
    expect(await familiar()).toMatchObject({ trustedLogins: 2, pending: [{ evaluation: other.id }] });
    expect((await login(FIREFOX, undefined, ELSEWHERE)).checks).toMatchObject({ ua_family_is_new: true, asn_is_new: true });
    expect((await api('POST', `/v3/evaluations/${other.id}/consume`)).status).toBe(200);
    expect((await familiar()).trustedLogins).toBe(3);
    expect(Object.keys((await familiar()).values.browser ?? {})).toHaveLength(2);
    expect((await login(FIREFOX, undefined, ELSEWHERE)).checks).toMatchObject({ ua_family_is_new: false, asn_is_new: false });
  });

  it('learns a challenged login when its user passes the verification, and drops it when five codes fail', async () => {
    await atHome();
    const policy = await api('POST', '/v3/policies', {
      name: 'Verify risky logins',
      events: ['login'],
      priority: 1,
      conditions: { field: 'risk:ato', operator: 'gte', value: 'medium' },
      action: { type: 'challenge', challenge: { type: 'verification', channels: ['sms'], suppress_days: 0 } },
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);

    const failed = await login(FIREFOX, undefined, ELSEWHERE);
    expect(failed.verdict).toBe('challenge');
    await api('POST', `/v3/challenges/${failed.challenge!.id}/send`, {});
    const wrong = lastCode() === '000000' ? '111111' : '000000';
    for (let k = 0; k < 5; k++) await api('POST', `/v3/challenges/${failed.challenge!.id}/verify`, { code: wrong });
    expect((await api('GET', `/v3/challenges/${failed.challenge!.id}`)).body.status).toBe('failed');
    expect(await familiar()).toMatchObject({ trustedLogins: 2, pending: [] });

    const passed = await login(FIREFOX, undefined, ELSEWHERE);
    expect(passed.verdict).toBe('challenge');
    await api('POST', `/v3/challenges/${passed.challenge!.id}/send`, {});
    expect((await api('POST', `/v3/challenges/${passed.challenge!.id}/verify`, { code: lastCode() })).status).toBe(200);
    expect(await familiar()).toMatchObject({ trustedLogins: 3, pending: [] });
    // Learned: the same login is familiar now (and low, so the policy lets it through).
    expect(await login(FIREFOX, undefined, ELSEWHERE)).toMatchObject({ verdict: 'allow', checks: { ua_family_is_new: false, asn_is_new: false } });
  });

  it('never learns from a development key, nor from a high-risk login the backend consumes anyway', async () => {
    await atHome();
    const developmentKey = await h.store.projects.rotateSecretKey({ projectId: h.project.id, environment: 'development', now: h.clock.now, graceMs: 0 });
    const dev = await login(PHONE, developmentKey);
    expect(dev.checks).toMatchObject({ ua_family_is_new: true });
    expect(await familiar()).toMatchObject({ trustedLogins: 2, pending: [] });
    const server = await api('POST', '/v3/evaluations', { action: 'login', user: 'alice', ip: '45.76.1.1', user_agent: LAPTOP });
    expect(ato(server.body)).toMatch(/high|maximum/);
    expect((await api('POST', `/v3/evaluations/${server.body.id}/consume`)).status).toBe(200);
    const after = await familiar();
    expect(after.trustedLogins).toBe(2);
    expect(Object.keys(after.values.asn ?? {})).toHaveLength(1);
    expect(after.pending).toMatchObject([{ evaluation: server.body.id, suspect: true }]);
  });
});
