import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, type TestDialect, bearer, browserEvaluate, createHarness } from '../../test-support/harness.js';

// Regression tests of the security review (issue 14): who may set the contact a code goes to, and the
// limits of a challenge (attempts, sends) under parallel requests, on both dialects.
describe.each(['sqlite', 'postgres'] as TestDialect[])('challenge security on %s', (dialect) => {
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

  const api = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => {
    const res = await h.inject({ method, url, headers: bearer(h.project.secretKey), ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };
  const sentTexts = (): { to: string; text: string }[] => {
    try {
      return readFileSync(join(dir, 'sms.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
    } catch {
      return [];
    }
  };
  const lastCode = () => /^(\d{6}) is your/.exec(sentTexts().at(-1)!.text)![1]!;
  const user = async (id: string) => (await api('GET', `/v3/users/${id}`)).body;
  const challengeLogins = async () => {
    const policy = await api('POST', '/v3/policies', {
      name: 'Verify logins',
      events: ['login'],
      priority: 1,
      conditions: { field: 'action', operator: 'eq', value: 'login' },
      action: { type: 'challenge', challenge: { type: 'verification', channels: ['sms', 'email'] } },
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);
  };
  /** A backend login for alice (her phone on file), challenged; returns the challenge id. */
  const challenged = async () => {
    await challengeLogins();
    const evaluation = await api('POST', '/v3/evaluations', { action: 'login', user: 'alice', phone: '+4791234567', email: 'alice@example.com' });
    expect(evaluation.body.verdict).toBe('challenge');
    return evaluation.body.challenge.id as string;
  };

  describe('the browser chooses where the challenge code goes (critical)', () => {
    it("never lets the client channel change a stored contact: the code goes to alice's own phone", async () => {
      // Alice's backend told Vigil her contact.
      await api('POST', '/v3/evaluations', { action: 'login', user: 'alice', phone: '+4791234567', email: 'alice@example.com' });
      await challengeLogins();
      // The attacker holds her password and logs in from a browser, naming their own phone and email.
      const { res } = await browserEvaluate(h, { action: 'login', user: 'alice', phone: '+4799999999', email: 'attacker@evil.example' });
      expect(res.statusCode).toBe(200);
      expect(await user('alice')).toMatchObject({ phone: '+4791234567', email: 'alice@example.com' });
      const id = (await api('GET', `/v3/evaluations/${res.json().evaluation_id}`)).body.challenge.id as string;
      expect((await api('POST', `/v3/challenges/${id}/send`, { channel: 'sms' })).status).toBe(200);
      expect(sentTexts().map((t) => t.to)).toEqual(['+4791234567']);
    });

    it('lets the client channel give a contact to a user who has none at all, and only then', async () => {
      await browserEvaluate(h, { action: 'signup', user: 'bob', email: 'bob@example.com' });
      expect(await user('bob')).toMatchObject({ email: 'bob@example.com', phone: null });
      // Nor can it add a phone beside the email: an SMS challenge would then go to that phone.
      await browserEvaluate(h, { action: 'login', user: 'bob', email: 'other@example.com', phone: '+4790000000' });
      expect(await user('bob')).toMatchObject({ email: 'bob@example.com', phone: null });
    });

    it('lets the backend change a contact, and a changed contact is no longer verified', async () => {
      const id = await challenged();
      await api('POST', `/v3/challenges/${id}/send`, { channel: 'sms' });
      expect((await api('POST', `/v3/challenges/${id}/verify`, { code: lastCode() })).status).toBe(200);
      expect(await user('alice')).toMatchObject({ is_phone_verified: true });
      // The same number again keeps the flag; a new one (server evaluate) resets it.
      await api('POST', '/v3/evaluations', { action: 'signup', user: 'alice', phone: '+4791234567' });
      expect(await user('alice')).toMatchObject({ is_phone_verified: true });
      await api('POST', '/v3/evaluations', { action: 'signup', user: 'alice', phone: '+4791111111' });
      expect(await user('alice')).toMatchObject({ phone: '+4791111111', is_phone_verified: false });
      // And through /v3/user/{id}/update.
      await h.store.db.updateTable('users').set({ is_email_verified: 1 }).where('external_id', '=', 'alice').execute();
      expect((await api('POST', '/v3/user/alice/update', { email: 'alice@example.com' })).status).toBe(204);
      expect(await user('alice')).toMatchObject({ is_email_verified: true });
      expect((await api('POST', '/v3/user/alice/update', { email: 'alice@new.example' })).status).toBe(204);
      expect(await user('alice')).toMatchObject({ email: 'alice@new.example', is_email_verified: false });
    });

    it('sends only to the contact stored when the challenge opened, and verifies only that one', async () => {
      const id = await challenged();
      // Changed after the challenge opened (by whoever): the code still goes to the number on file then.
      await api('POST', '/v3/user/alice/update', { phone: '+4798888888' });
      await api('POST', `/v3/challenges/${id}/send`, { channel: 'sms' });
      expect(sentTexts().map((t) => t.to)).toEqual(['+4791234567']);
      expect((await api('POST', `/v3/challenges/${id}/verify`, { code: lastCode() })).status).toBe(200);
      // Passing proved the old number, not the new one.
      expect(await user('alice')).toMatchObject({ phone: '+4798888888', is_phone_verified: false });
    });
  });

  describe('code brute force past 5 attempts (high)', () => {
    it('judges at most 5 of 40 parallel guesses, and the fifth wrong one fails the challenge', async () => {
      const id = await challenged();
      await api('POST', `/v3/challenges/${id}/send`, { channel: 'sms' });
      const code = lastCode();
      const guesses = Array.from({ length: 40 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'));
      const answers = await Promise.all(guesses.map((guess) => api('POST', `/v3/challenges/${id}/verify`, { code: guess })));
      const codes = answers.map((a) => a.body.error?.code as string);
      expect(codes.filter((c) => c === 'CHALLENGE_CODE_INVALID')).toHaveLength(4);
      expect(codes.every((c) => c === 'CHALLENGE_CODE_INVALID' || c === 'CHALLENGE_CLOSED')).toBe(true);
      expect((await h.store.db.selectFrom('challenge_codes').select('attempts').where('challenge_id', '=', id).executeTakeFirstOrThrow()).attempts).toBe(5);
      expect((await api('GET', `/v3/challenges/${id}`)).body.status).toBe('failed');
      // The right code after that is no use.
      expect(await api('POST', `/v3/challenges/${id}/verify`, { code })).toMatchObject({ status: 409, body: { error: { code: 'CHALLENGE_CLOSED' } } });
    });

    it('judges the right code among parallel wrong ones only if it came within the five', async () => {
      const id = await challenged();
      await api('POST', `/v3/challenges/${id}/send`, { channel: 'sms' });
      const code = lastCode();
      const wrong = (i: number) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');
      const answers = await Promise.all([...Array.from({ length: 20 }, (_, i) => wrong(i)), code].map((guess) => api('POST', `/v3/challenges/${id}/verify`, { code: guess })));
      const judged = answers.filter((a) => a.status === 200 || a.body.error?.code === 'CHALLENGE_CODE_INVALID').length;
      expect(judged).toBeLessThanOrEqual(5);
      const status = (await api('GET', `/v3/challenges/${id}`)).body.status;
      expect(answers.at(-1)!.status === 200 ? status === 'verified' : status === 'failed' || status === 'code_sent').toBe(true);
    });

    it('sends one code for 10 parallel send requests (the others wait for the resend delay)', async () => {
      const id = await challenged();
      const answers = await Promise.all(Array.from({ length: 10 }, () => api('POST', `/v3/challenges/${id}/send`, { channel: 'sms' })));
      expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
      expect(answers.filter((a) => a.body.error?.code === 'CHALLENGE_RESEND_TOO_SOON')).toHaveLength(9);
      expect(sentTexts()).toHaveLength(1);
    });
  });
});

describe('with VIGIL_SMS unset', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.close());

  it('offers email only on the hosted page and never prints a code (SMS is not configured)', async () => {
    await h.inject({
      method: 'POST',
      url: '/v3/policies',
      headers: bearer(h.project.secretKey),
      payload: {
        name: 'SMS',
        events: ['login'],
        priority: 1,
        conditions: { field: 'action', operator: 'eq', value: 'login' },
        action: { type: 'challenge', challenge: { type: 'verification', channels: ['sms', 'email'] } },
      },
    });
    const evaluation = (
      await h.inject({
        method: 'POST',
        url: '/v3/evaluations',
        headers: bearer(h.project.secretKey),
        payload: { action: 'login', user: 'carol', phone: '+4791234567', email: 'carol@example.com' },
      })
    ).json();
    const page = await h.inject({ method: 'GET', url: evaluation.redirect.replace('http://vigil.test', '') });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('c••••@example.com');
    expect(page.body).not.toMatch(/value="sms"/);
    expect(h.config.sms).toEqual({ adapter: 'none' });
  });
});
