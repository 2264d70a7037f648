import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, type TestDialect, bearer, browserEvaluate, createHarness } from '../../test-support/harness.js';

// Verification challenges through the v2 server API (send, verify, complete) and the hosted page's
// form posts, on both dialects. SMS goes through the file adapter (the fake of the paid gateway); the
// real SMTP conversation is in e2e/challenge-email.test.ts.
describe.each(['sqlite', 'postgres'] as TestDialect[])('verification challenges on %s', (dialect) => {
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

  const api = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, key = h.project.secretKey) => {
    const res = await h.inject({ method, url, headers: bearer(key), ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };
  const sentTexts = () =>
    readFileSync(join(dir, 'sms.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { to: string; text: string });
  const lastCode = () => /^(\d{6}) is your/.exec(sentTexts().at(-1)!.text)![1]!;

  /** A login a policy challenges by SMS; returns the challenge id. */
  const challenged = async (user: Record<string, unknown> = { phone: '+4791234567' }) => {
    const policy = await api('POST', '/v3/policies', {
      name: 'Verify by SMS',
      events: ['login'],
      priority: 1,
      conditions: { field: 'action', operator: 'eq', value: 'login' },
      action: { type: 'challenge', challenge: { type: 'verification', channels: ['sms'] } },
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);
    const evaluation = await api('POST', '/v3/evaluations', { action: 'login', user: 'alice', ...user });
    expect(evaluation.body.verdict).toBe('challenge');
    return evaluation.body.challenge.id as string;
  };

  it('sends a code by SMS, refuses a wrong one with the attempts left, verifies the right one, then completes', async () => {
    const id = await challenged();
    expect(await api('POST', `/v3/challenges/${id}/send`, {})).toEqual({ status: 200, body: { id, status: 'code_sent', channel: 'sms' } });
    expect(sentTexts()).toEqual([{ to: '+4791234567', text: expect.stringMatching(/^\d{6} is your Test verification code/), at: expect.any(String) }]);
    const code = lastCode();
    const wrong = await api('POST', `/v3/challenges/${id}/verify`, { code: code === '000000' ? '111111' : '000000' });
    expect(wrong).toMatchObject({ status: 422, body: { error: { code: 'CHALLENGE_CODE_INVALID', message: 'Wrong code: 4 attempts left' } } });
    expect(await api('POST', `/v3/challenges/${id}/complete`)).toMatchObject({ status: 409, body: { error: { code: 'CHALLENGE_CLOSED' } } });
    expect(await api('POST', `/v3/challenges/${id}/verify`, { code })).toEqual({ status: 200, body: { id, status: 'verified' } });
    expect((await api('GET', '/v3/users/alice')).body).toMatchObject({ is_phone_verified: true, is_email_verified: false });
    expect(await api('POST', `/v3/challenges/${id}/complete`)).toEqual({ status: 200, body: { id, status: 'completed' } });
    expect((await api('GET', `/v3/challenges/${id}`)).body.status).toBe('completed');
    expect(await api('POST', `/v3/challenges/${id}/verify`, { code })).toMatchObject({ status: 409, body: { error: { code: 'CHALLENGE_CLOSED' } } });
  });

  it('spares the same device the same challenge for 30 days once passed, and says so in the evaluation', async () => {
    const fingerprint = 'a'.repeat(32);
    const id = await challenged({ phone: '+4791234567', fingerprint });
    await api('POST', `/v3/challenges/${id}/send`, {});
    expect((await api('POST', `/v3/challenges/${id}/verify`, { code: lastCode() })).status).toBe(200);
    expect((await api('POST', `/v3/challenges/${id}/complete`)).status).toBe(200);

    const again = await api('POST', '/v3/evaluations', { action: 'login', user: 'alice', fingerprint });
    expect(again.body).toMatchObject({
      verdict: 'allow',
      challenge: null,
      policy: { name: 'Verify by SMS', suppressed_by: { challenge: id, passed_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) } },
    });
    // Another device (another fingerprint) is challenged as before.
    const elsewhere = await api('POST', '/v3/evaluations', { action: 'login', user: 'alice', fingerprint: 'b'.repeat(32) });
    expect(elsewhere.body.verdict).toBe('challenge');
  });

  it('takes an empty body sent as application/json where the body is optional, as many HTTP clients send it', async () => {
    const empty = async (url: string) => {
      const res = await h.inject({ method: 'POST', url, headers: { ...bearer(h.project.secretKey), 'content-type': 'application/json' }, payload: '' });
      return { status: res.statusCode, body: res.json() };
    };
    const id = await challenged();
    expect(await empty(`/v3/challenges/${id}/send`)).toEqual({ status: 200, body: { id, status: 'code_sent', channel: 'sms' } });
    expect((await api('POST', `/v3/challenges/${id}/verify`, { code: lastCode() })).status).toBe(200);
    expect(await empty(`/v3/challenges/${id}/complete`)).toEqual({ status: 200, body: { id, status: 'completed' } });
    const v2 = await challenged();
    expect(await empty(`/v2/challenges/${v2}/send`)).toEqual({ status: 200, body: { success: true, challenge_id: v2 } });
    expect((await api('POST', `/v2/challenges/${v2}/verify`, { code: lastCode() })).body).toEqual({ success: true });
    expect(await empty(`/v2/challenges/${v2}/complete`)).toEqual({ status: 200, body: { success: true } });
    const evaluation = await api('POST', '/v3/evaluations', { action: 'login', user: 'bob' });
    expect(await empty(`/v3/evaluations/${evaluation.body.id}/consume`)).toMatchObject({ status: 200, body: { id: evaluation.body.id, consumed: true } });
    // Where a body is required, an empty one is still refused, and says why.
    expect(await empty(`/v3/challenges/${id}/verify`)).toMatchObject({ status: 400, body: { error: { code: 'MALFORMED_JSON', message: expect.stringMatching(/empty/) } } });
    expect(await empty('/v3/evaluations')).toMatchObject({ status: 400, body: { error: { code: 'MALFORMED_JSON' } } });
  });

  it('stores the code hashed, never as sent', async () => {
    const id = await challenged();
    await api('POST', `/v3/challenges/${id}/send`);
    const stored = await h.store.challenges.code(id);
    expect(stored?.codeHash).toBeDefined();
    expect(stored!.codeHash).not.toContain(lastCode());
    expect(stored!.codeHash.length).toBeGreaterThan(20);
  });

  it('makes a resend wait 30 s, and lets a code expire after 10 minutes', async () => {
    const id = await challenged();
    await api('POST', `/v3/challenges/${id}/send`);
    expect(await api('POST', `/v3/challenges/${id}/send`)).toMatchObject({
      status: 429,
      body: { error: { code: 'CHALLENGE_RESEND_TOO_SOON', message: expect.stringMatching(/wait 30 s/) } },
    });
    const first = lastCode();
    h.clock.now += 10 * 60_000;
    expect(await api('POST', `/v3/challenges/${id}/verify`, { code: first })).toMatchObject({ status: 410, body: { error: { code: 'CHALLENGE_CODE_EXPIRED' } } });
    expect((await api('POST', `/v3/challenges/${id}/send`)).status).toBe(200);
    expect(sentTexts()).toHaveLength(2);
    expect(await api('POST', `/v3/challenges/${id}/verify`, { code: lastCode() })).toMatchObject({ status: 200 });
  });

  it('fails the challenge at the fifth wrong code, and the next evaluation counts it', async () => {
    const id = await challenged();
    await api('POST', `/v3/challenges/${id}/send`);
    const wrong = lastCode() === '000000' ? '111111' : '000000';
    for (let i = 4; i >= 1; i--)
      expect((await api('POST', `/v3/challenges/${id}/verify`, { code: wrong })).body.error.message).toBe(`Wrong code: ${i} attempt${i === 1 ? '' : 's'} left`);
    expect(await api('POST', `/v3/challenges/${id}/verify`, { code: wrong })).toMatchObject({
      status: 409,
      body: { error: { code: 'CHALLENGE_CLOSED', message: expect.stringMatching(/failed/) } },
    });
    expect((await api('GET', `/v3/challenges/${id}`)).body.status).toBe('failed');
    expect(await api('POST', `/v3/challenges/${id}/verify`, { code: lastCode() })).toMatchObject({ status: 409 });
    const next = await api('POST', '/v3/evaluations', { action: 'login', user: 'alice' });
    expect(next.body.checks.failed_challenges_last_day).toBe(1);
  });

  it('says so when the user has nowhere to receive a code, and refuses bad input and other projects', async () => {
    const id = await challenged({});
    expect(await api('POST', `/v3/challenges/${id}/send`)).toMatchObject({ status: 409, body: { error: { code: 'CHALLENGE_NO_DESTINATION' } } });
    expect(await api('POST', `/v3/challenges/${id}/verify`, { code: '123456' })).toMatchObject({ status: 409, body: { error: { code: 'CHALLENGE_NO_CODE' } } });
    expect(await api('POST', `/v3/challenges/${id}/verify`, { code: '12345' })).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_ERROR' } } });
    expect(await api('POST', `/v3/challenges/${id}/send`, { channel: 'pigeon' })).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_ERROR' } } });
    expect(await api('POST', `/v3/challenges/${id}/send`, {}, h.other.secretKey)).toMatchObject({ status: 404, body: { error: { code: 'CHALLENGE_NOT_FOUND' } } });
    expect((await h.inject({ method: 'POST', url: `/v3/challenges/${id}/send` })).statusCode).toBe(401);
  });

  it('runs the same verification from the hosted page, whose forms post without JavaScript', async () => {
    await challenged();
    const evaluation = (await api('POST', '/v3/evaluations', { action: 'login', user: 'alice', phone: '+4791234567' })).body;
    const link = new URL(evaluation.redirect);
    const token = link.searchParams.get('t')!;
    const page = await h.inject({ method: 'GET', url: `${link.pathname}${link.search}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.body).toContain('Send the code by text message');
    expect(page.body).toContain('•••••••••67');
    const form = (path: string, fields: Record<string, string>) =>
      h.inject({
        method: 'POST',
        url: `${link.pathname}/${path}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(fields).toString(),
      });
    expect((await form('send', { t: 'forged' })).statusCode).toBe(403);
    const sent = await form('send', { t: token, channel: 'sms' });
    expect(sent.statusCode).toBe(200);
    expect(sent.body).toContain('autocomplete="one-time-code"');
    const passed = await form('verify', { t: token, code: lastCode() });
    expect(passed.statusCode).toBe(200);
    expect(passed.body).toContain("You're all set");
    expect((await api('GET', `/v3/challenges/${evaluation.challenge.id}`)).body.status).toBe('completed');
    expect((await api('GET', `/v3/evaluations/${evaluation.id}`)).body.challenge.status).toBe('completed');
  });

  const form = (link: URL, path: string, fields: Record<string, string>) =>
    h.inject({
      method: 'POST',
      url: `${link.pathname}/${path}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ t: link.searchParams.get('t')!, ...fields }).toString(),
    });

  it('replaces a still-open challenge when a newer one opens on the same device (overridden)', async () => {
    await challenged();
    const first = await browserEvaluate(h, { action: 'login', user: 'alice' });
    const firstLink = new URL(first.res.json().redirect);
    const firstId = firstLink.pathname.split('/').at(-1)!;
    expect((await h.inject({ method: 'GET', url: `${firstLink.pathname}${firstLink.search}` })).statusCode).toBe(200);
    const second = await browserEvaluate(h, { action: 'login', user: 'alice' }, { cookie: `vigil_did=${first.deviceCookie}` });
    const secondId = new URL(second.res.json().redirect).pathname.split('/').at(-1)!;
    expect(secondId).not.toBe(firstId);
    expect((await api('GET', `/v3/challenges/${firstId}`)).body.status).toBe('overridden');
    expect((await api('GET', `/v3/challenges/${secondId}`)).body.status).toBe('created');
    const old = await h.inject({ method: 'GET', url: `${firstLink.pathname}${firstLink.search}` });
    expect(old.body).toContain('This link was replaced');
    expect(await api('POST', `/v3/challenges/${firstId}/send`, {})).toMatchObject({ status: 409, body: { error: { code: 'CHALLENGE_CLOSED' } } });
    // Another device's challenge is left alone.
    await browserEvaluate(h, { action: 'login', user: 'alice' });
    expect((await api('GET', `/v3/challenges/${secondId}`)).body.status).toBe('created');
  });

  it('offers "Skip for now" only where the policy allows it; a skip ends the challenge skipped', async () => {
    const policy = await api('POST', '/v3/policies', {
      name: 'Verify, skippable',
      events: ['login'],
      priority: 1,
      conditions: { field: 'action', operator: 'eq', value: 'login' },
      action: { type: 'challenge', challenge: { type: 'verification', channels: ['sms'], allow_skip: true, success_url: 'https://app.example/welcome' } },
    });
    expect(policy.status).toBe(201);
    const evaluation = (await api('POST', '/v3/evaluations', { action: 'login', user: 'alice', phone: '+4791234567' })).body;
    const link = new URL(evaluation.redirect);
    expect((await h.inject({ method: 'GET', url: `${link.pathname}${link.search}` })).body).toContain('Skip for now');
    const skipped = await form(link, 'skip', {});
    expect(skipped.statusCode).toBe(303);
    expect(skipped.headers.location).toBe(`https://app.example/welcome?evaluation=${evaluation.id}`);
    expect((await api('GET', `/v3/challenges/${evaluation.challenge.id}`)).body).toMatchObject({ status: 'skipped', allow_skip: true });
    expect((await form(link, 'skip', {})).statusCode).toBe(409);

    // Without allow_skip: no button, and a forged post is refused.
    await api('PUT', `/v3/policies/${policy.body.id}`, { ...policy.body, action: { type: 'challenge', challenge: { type: 'verification', channels: ['sms'] } } });
    const strict = (await api('POST', '/v3/evaluations', { action: 'login', user: 'alice', phone: '+4791234567' })).body;
    const strictLink = new URL(strict.redirect);
    expect((await h.inject({ method: 'GET', url: `${strictLink.pathname}${strictLink.search}` })).body).not.toContain('Skip for now');
    expect((await form(strictLink, 'skip', {})).statusCode).toBe(403);
    expect((await api('GET', `/v3/challenges/${strict.challenge.id}`)).body.status).toBe('presented');
  });
});
