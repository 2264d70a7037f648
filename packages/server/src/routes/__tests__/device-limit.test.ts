import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, type TestDialect, bearer, browserEvaluate, createHarness } from '../../test-support/harness.js';

// The device-limit challenge: a third device over a limit of two gets the hosted page listing the
// account's devices; logging one out completes the challenge, and that device's next evaluation tells
// its SDK to log out (once) and where to go.
const UA = {
  laptop: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
  phone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1',
  tablet: 'Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
};

describe.each(['sqlite', 'postgres'] as TestDialect[])('the device-limit challenge on %s', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({ dialect });
  });
  afterEach(() => h.close());

  const login = async (ua: string, cookie?: string) => {
    const { res, deviceCookie } = await browserEvaluate(h, { action: 'login', user: 'alice' }, { 'user-agent': ua, ...(cookie ? { cookie: `vigil_did=${cookie}` } : {}) });
    expect(res.statusCode, res.body).toBe(200);
    return { body: res.json(), cookie: deviceCookie ?? cookie! };
  };

  it('lists the devices, logs one out, completes, and tells the logged-out device once', async () => {
    const policy = await h.inject({
      method: 'POST',
      url: '/v3/policies',
      headers: bearer(h.project.secretKey),
      payload: {
        name: 'Two devices',
        events: ['login'],
        priority: 1,
        conditions: { field: 'device_count', operator: 'gt', value: 2 },
        action: {
          type: 'challenge',
          challenge: { type: 'device_limit', device_limit: 2, logout_url: 'https://app.example/logged-out', success_url: 'https://app.example/welcome' },
        },
      },
    });
    expect(policy.statusCode, policy.body).toBe(201);
    const laptop = await login(UA.laptop);
    const phone = await login(UA.phone);
    expect(laptop.body.redirect).toBeUndefined();
    expect(phone.body.redirect).toBeUndefined();
    const tablet = await login(UA.tablet);
    expect(tablet.body.redirect).toMatch(/\/challenge\/ch_/);

    const link = new URL(tablet.body.redirect);
    const page = await h.inject({ method: 'GET', url: `${link.pathname}${link.search}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Too many devices');
    expect(page.body).toContain('2 devices at a time');
    expect(page.body).toMatch(/Computer · Chrome on Windows/);
    expect(page.body).toMatch(/Phone · (Mobile )?Safari on iOS/);
    expect(page.body).toContain('this device');
    const logoutButtons = [...page.body.matchAll(/name="device" value="([^"]+)"/g)].map((m) => m[1]);
    expect(logoutButtons).toHaveLength(2); // not the device asking

    const form = (fields: Record<string, string>) =>
      h.inject({
        method: 'POST',
        url: `${link.pathname}/logout`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ t: link.searchParams.get('t')!, ...fields }).toString(),
      });
    expect((await form({ device: 'dv_not_hers' })).statusCode).toBe(422);
    const devices = (await h.inject({ method: 'GET', url: '/v3/user/alice/devices', headers: bearer(h.project.secretKey) })).json().data as {
      id: string;
      user_agent: string;
      logged_out_at: string | null;
    }[];
    const laptopId = devices.find((d) => d.user_agent === UA.laptop)!.id;
    expect(logoutButtons).toContain(laptopId);
    const done = await form({ device: laptopId });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain("You're all set");
    expect(done.body).toContain('https://app.example/welcome?evaluation=');
    const after = (await h.inject({ method: 'GET', url: '/v3/user/alice/devices', headers: bearer(h.project.secretKey) })).json().data as {
      id: string;
      logged_out_at: string | null;
    }[];
    expect(after.find((d) => d.id === laptopId)!.logged_out_at).toEqual(expect.any(String));
    const challengeId = link.pathname.split('/').at(-1);
    expect((await h.inject({ method: 'GET', url: `/v3/challenges/${challengeId}`, headers: bearer(h.project.secretKey) })).json().status).toBe('completed');

    // The phone was not logged out, and with the laptop gone it is within the limit again.
    expect((await login(UA.phone, phone.cookie)).body).toEqual({ evaluation_id: expect.any(String) });
    // The laptop's next evaluation: told to log out, once.
    expect((await login(UA.laptop, laptop.cookie)).body).toEqual({ evaluation_id: expect.any(String), redirect: 'https://app.example/logged-out', logout: true });
    expect((await login(UA.laptop, laptop.cookie)).body.logout).toBeUndefined();
  });
});
