import { VigilAPI } from '@vigil/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ShopWithVigil, startShopWithVigil } from './support/shop.js';
import { startSmtpPeer } from './support/smtp-peer.js';

// A project's own SMTP server: verification codes go through it rather than the instance's SMTP_URL,
// the password in its URL is never shown again (nor kept in clear in the database), and forgetting it
// goes back to the instance's. Two real SMTP peers tell which way each message went.
let setup: ShopWithVigil;
let instanceSmtp: Awaited<ReturnType<typeof startSmtpPeer>>;
let projectSmtp: Awaited<ReturnType<typeof startSmtpPeer>>;
let vigil: VigilAPI;

const settings = async (method: 'GET' | 'PUT' | 'POST' | 'DELETE', body?: unknown, path = '/v3/settings/mail') => {
  const res = await fetch(`${setup.vigil.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${setup.project.secret_key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, text: await res.text() };
};

beforeAll(async () => {
  instanceSmtp = await startSmtpPeer();
  projectSmtp = await startSmtpPeer({ users: { codes: 's3cret-pass' } });
  // The project's SMTP peer is on 127.0.0.1, which a project may reach only on a private-network install.
  setup = await startShopWithVigil('mail', { SMTP_URL: instanceSmtp.url, MAIL_FROM: 'instance@vigil.example', VIGIL_ALLOW_PRIVATE_DESTINATIONS: 'true' });
  vigil = new VigilAPI(setup.project.secret_key, { baseUrl: setup.vigil.url });
  await vigil.policies.create({
    name: 'Verify logins',
    events: ['login'],
    priority: 1,
    conditions: { field: 'action', operator: 'eq', value: 'login' },
    action: { type: 'challenge', challenge: { type: 'verification', channels: ['email'], suppress_days: 0 } },
  });
});
afterAll(async () => {
  await setup?.stop();
  await instanceSmtp?.stop();
  await projectSmtp?.stop();
});

/** A challenged login whose code is sent; resolves once one of the two servers has the message. */
async function sendCode(): Promise<void> {
  const { challenge_id } = await vigil.evaluate({ action: 'login', user: 'alice', email: 'alice@example.com' });
  const before = instanceSmtp.mails.length + projectSmtp.mails.length;
  await vigil.sendChallengeCode({ challenge: challenge_id! });
  await expect.poll(() => instanceSmtp.mails.length + projectSmtp.mails.length).toBe(before + 1);
}

describe("a project's own SMTP server", () => {
  it('uses the instance SMTP_URL until the project has its own', async () => {
    expect(JSON.parse((await settings('GET')).text)).toEqual({
      source: 'instance',
      smtp: { host: '127.0.0.1', port: Number(new URL(instanceSmtp.url).port), secure: false, user: null },
      mail_from: 'instance@vigil.example',
    });
    await sendCode();
    expect(instanceSmtp.mails).toHaveLength(1);
    expect(instanceSmtp.mails[0]!.from).toBe('instance@vigil.example');
  });

  it("sends through the project's server once set, and never shows its password again", async () => {
    const port = new URL(projectSmtp.url).port;
    const put = await settings('PUT', { smtp_url: `smtp://codes:s3cret-pass@127.0.0.1:${port}`, mail_from: 'Example shop <security@shop.example>' });
    expect(put.status).toBe(200);
    expect(put.text).not.toContain('s3cret-pass');
    expect(JSON.parse(put.text)).toEqual({
      source: 'project',
      smtp: { host: '127.0.0.1', port: Number(port), secure: false, user: 'codes' },
      mail_from: 'Example shop <security@shop.example>',
    });
    expect((await settings('GET')).text).not.toContain('s3cret-pass');

    await sendCode();
    expect(projectSmtp.mails).toHaveLength(1);
    expect(projectSmtp.mails[0]!.from).toBe('security@shop.example');
    expect(projectSmtp.logins).toContain('codes'); // logged in with the stored credentials
    expect(instanceSmtp.mails).toHaveLength(1);
    // Nor is the password in the server's output.
    expect(setup.vigil.output()).not.toContain('s3cret-pass');
  });

  it('sends a test message, refuses what is not an SMTP URL, and goes back to the instance when forgotten', async () => {
    const tested = await settings('POST', { to: 'ops@shop.example' }, '/v3/settings/mail/test');
    expect(JSON.parse(tested.text)).toEqual({ sent: true, source: 'project' });
    expect(projectSmtp.mails.at(-1)!.to).toEqual(['ops@shop.example']);

    const bad = await settings('PUT', { smtp_url: 'http://mail.example.com', mail_from: 'a@example.com' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).error.code).toBe('VALIDATION_ERROR');
    expect(JSON.parse((await settings('GET')).text).source).toBe('project');

    // Options in the URL are refused (they would reach nodemailer: ?sendmail=true&path=… ran a program).
    const options = await settings('PUT', { smtp_url: 'smtp://127.0.0.1:2525?sendmail=true&path=%2Fbin%2Fsh', mail_from: 'a@example.com' });
    expect(options.status).toBe(400);
    expect(JSON.parse(options.text).error.code).toBe('VALIDATION_ERROR');

    // Wrong credentials: the client is told it failed, never what the server answered (that is the log's).
    await settings('PUT', { smtp_url: `smtp://codes:wrong@127.0.0.1:${new URL(projectSmtp.url).port}`, mail_from: 'a@example.com' });
    const refused = await settings('POST', { to: 'ops@shop.example' }, '/v3/settings/mail/test');
    expect(refused.status).toBe(502);
    expect(JSON.parse(refused.text).error).toMatchObject({ code: 'CHALLENGE_DELIVERY_FAILED', message: expect.stringMatching(/could not be reached or refused/) });
    expect(refused.text).not.toContain('Invalid username or password');
    expect(refused.text).not.toContain('wrong@');
    await expect.poll(() => setup.vigil.output()).toContain('Invalid username or password');
    expect(setup.vigil.output()).not.toMatch(/\bwrong\b/); // the password is not logged either

    expect(JSON.parse((await settings('DELETE')).text).source).toBe('instance');
    await sendCode();
    expect(instanceSmtp.mails).toHaveLength(2);
  });
});
