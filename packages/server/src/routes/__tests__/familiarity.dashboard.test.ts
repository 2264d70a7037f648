import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, type TestDialect, bearer, createHarness, operatorSession } from '../../test-support/harness.js';

// The dashboard's view of a user's familiar set on both databases: what the user's trusted logins looked
// like (networks with the AS's organisation, browsers), most frequent first, the rows an evaluation's
// login had flagged; 404 for a user the project does not have; the operator's session only.
const UA = {
  laptop: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
  firefox: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0',
  phone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1',
};
const OSLO = '84.208.1.1';
const SYDNEY = '139.130.4.5';

describe.each(['sqlite', 'postgres'] as TestDialect[])('dashboard familiarity on %s', (dialect) => {
  let h: Harness;
  let session: { headers: Record<string, string> };
  const get = async (url: string, headers: Record<string, string> = session.headers) => {
    const res = await h.inject({ method: 'GET', url, headers });
    return { status: res.statusCode, body: res.json() };
  };
  beforeEach(async () => {
    h = await createHarness({ dialect });
    session = await operatorSession(h);
  });
  afterEach(() => h.close());

  const evaluate = async (body: Record<string, unknown>) => {
    const res = await h.inject({ method: 'POST', url: '/v3/evaluations', headers: bearer(h.project.secretKey), payload: body });
    expect(res.statusCode, res.body).toBe(201);
    h.clock.now += 60_000;
    return res.json() as {
      id: string;
      verdict: string;
      ip_info: { asn: number | null; as_org: string | null; country: string | null };
      risks: { category: string; severity: string }[];
      checks: Record<string, unknown>;
    };
  };
  const familiarity = (user: string, query = '') => get(`/dashboard/api/projects/${h.project.id}/users/${encodeURIComponent(user)}/familiarity${query}`);

  it("shows the networks and browsers of the trusted logins, with the AS organisation and the evaluation's rows flagged", async () => {
    const first = await evaluate({ action: 'login', user: 'alice', ip: OSLO, user_agent: UA.laptop });
    const second = await evaluate({ action: 'login', user: 'alice', ip: OSLO, user_agent: UA.laptop });
    for (const e of [first, second]) expect([e.verdict, e.risks.find((r) => r.category === 'ato')?.severity ?? 'low']).toEqual(['allow', 'low']);
    // The second login was measured against the first: nothing new.
    expect(second.checks).toMatchObject({ trusted_login_count: 1, asn_is_new: false, ua_is_new: false, network_familiarity: 1, browser_familiarity: 1 });
    expect(first.ip_info.asn).toBeTypeOf('number');

    const { status, body } = await familiarity('alice');
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ trusted_logins: 2, last_trusted_at: new Date(h.clock.now - 60_000).toISOString(), pending: 0 });
    expect(body.networks.asns).toEqual([
      {
        asn: first.ip_info.asn,
        org: first.ip_info.as_org,
        count: 2,
        first_seen_at: new Date(h.clock.now - 120_000).toISOString(),
        last_seen_at: new Date(h.clock.now - 60_000).toISOString(),
        this_login: false,
      },
    ]);
    expect(body.networks.asns[0].org).toBeTruthy();
    expect(body.networks.prefixes).toMatchObject([{ prefix: '84.208.1.0/24', count: 2 }]);
    expect(body.networks.ips).toMatchObject([{ ip: OSLO, count: 2 }]);
    expect(body.networks.countries).toMatchObject([{ country: first.ip_info.country, count: 2 }]);
    expect(body.browsers).toMatchObject({
      browsers: [{ browser: 'Chrome', count: 2 }],
      oses: [{ os: 'Windows', count: 2 }],
      device_classes: [{ device_class: 'computer', count: 2 }],
      user_agents: [{ user_agent: UA.laptop, count: 2 }],
    });

    // Firefox on the same laptop: learned (a new browser on a familiar network and OS stays low), after
    // Chrome (most frequent first), and that login's rows flagged.
    const third = await evaluate({ action: 'login', user: 'alice', ip: OSLO, user_agent: UA.firefox });
    expect([third.verdict, third.risks.find((r) => r.category === 'ato')!.severity]).toEqual(['allow', 'low']);
    const flagged = await familiarity('alice', `?evaluation=${third.id}`);
    expect(flagged.status).toBe(200);
    expect(flagged.body.trusted_logins).toBe(3);
    expect(flagged.body.networks.asns).toMatchObject([{ asn: first.ip_info.asn, count: 3, this_login: true }]);
    expect(flagged.body.browsers.browsers).toMatchObject([
      { browser: 'Chrome', count: 2, this_login: false },
      { browser: 'Firefox', count: 1, this_login: true },
    ]);
    expect(flagged.body.browsers.oses).toMatchObject([{ os: 'Windows', count: 3, this_login: true }]);

    // A phone in Sydney a minute later: ato at maximum, never learned, and none of the familiar rows is its.
    const fourth = await evaluate({ action: 'login', user: 'alice', ip: SYDNEY, user_agent: UA.phone });
    expect(fourth.risks.find((r) => r.category === 'ato')!.severity).toBe('maximum');
    const stranger = (await familiarity('alice', `?evaluation=${fourth.id}`)).body;
    expect(stranger.trusted_logins).toBe(3);
    const rows = [...Object.values(stranger.networks), ...Object.values(stranger.browsers)].flat() as { this_login: boolean }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.this_login)).toEqual([]);
    // The first evaluation's rows are the laptop's.
    const firstRows = (await familiarity('alice', `?evaluation=${first.id}`)).body;
    expect(firstRows.networks.asns[0].this_login).toBe(true);
    expect(firstRows.browsers.user_agents.find((u: { user_agent: string }) => u.user_agent === UA.laptop).this_login).toBe(true);
    expect((await familiarity('alice', '?evaluation=ev_nope')).status).toBe(404);
  });

  it('answers an empty familiar set for a user with nothing learned, and 404 for a user the project does not have', async () => {
    // A denied login is never learned: the user exists, their familiar set is empty.
    const policy = await h.inject({
      method: 'POST',
      url: '/v3/policies',
      headers: bearer(h.project.secretKey),
      payload: { name: 'Deny logins', events: ['login'], priority: 1, conditions: { field: 'action', operator: 'eq', value: 'login' }, action: { type: 'deny' } },
    });
    expect(policy.statusCode, policy.body).toBe(201);
    expect((await evaluate({ action: 'login', user: 'bob', ip: OSLO, user_agent: UA.laptop })).verdict).toBe('deny');
    const { status, body } = await familiarity('bob');
    expect(status).toBe(200);
    expect(body).toEqual({
      trusted_logins: 0,
      last_trusted_at: null,
      pending: 0,
      networks: { asns: [], prefixes: [], countries: [], cities: [], ips: [] },
      browsers: { browsers: [], oses: [], device_classes: [], user_agents: [] },
    });

    const unknown = await familiarity('nobody');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('USER_NOT_FOUND');
    // Another project's user is not this project's.
    const res = await h.inject({ method: 'POST', url: '/v3/evaluations', headers: bearer(h.other.secretKey), payload: { action: 'login', user: 'carol', ip: OSLO } });
    expect(res.statusCode).toBe(201);
    expect((await familiarity('carol')).status).toBe(404);
  });

  it("answers only the operator's session", async () => {
    await evaluate({ action: 'login', user: 'alice', ip: OSLO, user_agent: UA.laptop });
    const url = `/dashboard/api/projects/${h.project.id}/users/alice/familiarity`;
    const anonymous = await get(url, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('NOT_LOGGED_IN');
    // The project's secret key is the server API's, not the dashboard's.
    expect((await get(url, bearer(h.project.secretKey))).status).toBe(401);
    expect((await get(url, { cookie: 'vigil_session=forged' })).status).toBe(401);
    expect((await get(url)).status).toBe(200);
  });
});
