import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingHttpHeaders, createServer as createHttpServer } from 'node:http';
import { type AddressInfo, type Socket, createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { seal } from '../../settings/seal.js';
import { type Harness, type TestDialect, bearer, createHarness } from '../../test-support/harness.js';
import { dispatchDueWebhooks } from '../../webhooks/dispatcher.js';

// The destinations a project's settings make this server connect to: its SMTP server and its webhook
// endpoint. Whoever holds a project's secret key writes them, so they must neither carry options into
// the mail library (finding 1: `?sendmail=true&path=/bin/sh` ran a program) nor point the server at its
// own network (finding 2: SSRF to loopback, private and metadata addresses, whose answers came back).

const SECRET = 'a test installation secret, 32+ characters long';
const PUBLIC = '93.184.215.14'; // a public address: saving it connects to nothing

/** A TCP service on 127.0.0.1 that greets like an internal one would, and counts who connects. */
async function internalService(banner: string) {
  const connections: Socket[] = [];
  const server = createTcpServer((socket) => {
    connections.push(socket);
    socket.on('error', () => undefined);
    socket.write(`${banner}\r\n`);
    socket.on('data', () => socket.end('554 5.7.1 internal-relay refuses you\r\n'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of connections) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An HTTP endpoint on 127.0.0.1 that answers `status` and keeps what it receives. */
async function internalEndpoint(status: number) {
  const received: { headers: IncomingHttpHeaders; url?: string }[] = [];
  const server = createHttpServer((req, res) => {
    received.push({ headers: req.headers, url: req.url });
    req.resume();
    res.writeHead(status).end('internal admin panel says hi');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe.each(['sqlite', 'postgres'] as TestDialect[])('outbound destinations on %s', (dialect) => {
  let h: Harness;
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await h?.close();
  });
  const harness = async (env: Record<string, string> = {}) => {
    h = await createHarness({ dialect, env: { VIGIL_SECRET: SECRET, ...env } });
    return h;
  };
  const api = async (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: object) => {
    const res = await h.inject({ method, url, headers: bearer(h.project.secretKey), ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.body ? res.json() : null, text: res.body };
  };
  const challenge = async () => {
    await api('POST', '/v3/policies', {
      name: 'Verify',
      events: ['login'],
      priority: 1,
      conditions: { field: 'action', operator: 'eq', value: 'login' },
      action: { type: 'challenge', challenge: { type: 'verification', channels: ['email'] } },
    });
    await api('POST', '/v3/evaluations', { action: 'login', user: 'alice', email: 'alice@example.com' });
  };

  describe('SMTP URLs carry no options (finding 1)', () => {
    it('refuses an SMTP URL with a query string, fragment or path and stores nothing (regression: ?sendmail=true&path=/bin/sh ran a program)', async () => {
      await harness({ VIGIL_ALLOW_PRIVATE_DESTINATIONS: 'true' });
      for (const smtpUrl of [
        'smtp://x?sendmail=true&path=%2Fbin%2Fsh',
        'smtp://127.0.0.1:2525?sendmail=true&path=%2Fbin%2Fsh&args=-c',
        `smtp://${PUBLIC}?streamTransport=true`,
        `smtp://${PUBLIC}?jsonTransport=true`,
        `smtp://${PUBLIC}?proxy=socks5:%2F%2F127.0.0.1:1080`,
        `smtp://${PUBLIC}#sendmail`,
      ]) {
        const put = await api('PUT', '/v3/settings/mail', { smtp_url: smtpUrl, mail_from: 'a@example.com' });
        expect(put, smtpUrl).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_ERROR', request_id: expect.any(String) } } });
      }
      expect(await h.store.projects.mailSettings(h.project.id)).toBeNull();
      expect((await api('GET', '/v3/settings/mail')).body.source).toBe('none');
    });

    it('never hands a stored value to nodemailer whole: a URL with options saved before the fix is unusable, and extra fields are dropped', async () => {
      await harness({ VIGIL_ALLOW_PRIVATE_DESTINATIONS: 'true' });
      // A program that leaves a mark: had the URL's options reached nodemailer, its sendmail transport would run it.
      const dir = mkdtempSync(join(tmpdir(), 'vigil-sendmail-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      const marker = join(dir, 'ran');
      const program = join(dir, 'fake-sendmail');
      writeFileSync(program, `#!/bin/sh\ntouch ${marker}\ncat >/dev/null\n`);
      chmodSync(program, 0o755);
      await h.store.projects.setMailSettings(
        h.project.id,
        seal(SECRET, JSON.stringify({ url: `smtp://127.0.0.1:2525?sendmail=true&path=${encodeURIComponent(program)}`, from: 'a@example.com' })),
        h.clock.now,
      );
      const test = await api('POST', '/v3/settings/mail/test', { to: 'ops@example.com' });
      expect(test).toMatchObject({ status: 409, body: { error: { code: 'MAIL_SETTINGS_UNREADABLE' } } });
      expect(existsSync(marker)).toBe(false);

      // The fields form, with keys nodemailer would act on added to it: only the known fields are read.
      const made: object[] = [];
      vi.spyOn(nodemailer, 'createTransport').mockImplementation(((options: object) => {
        made.push(options);
        return { sendMail: async () => ({}) };
      }) as unknown as typeof nodemailer.createTransport);
      const stuffed = {
        v: 2,
        host: '127.0.0.1',
        port: 2525,
        secure: false,
        user: null,
        pass: null,
        from: 'a@example.com',
        sendmail: true,
        path: program,
        streamTransport: true,
        jsonTransport: true,
        proxy: 'socks5://127.0.0.1:1',
        transport: 'x',
        tls: { rejectUnauthorized: false },
      };
      await h.store.projects.setMailSettings(h.project.id, seal(SECRET, JSON.stringify(stuffed)), h.clock.now);
      expect(await api('POST', '/v3/settings/mail/test', { to: 'ops@example.com' })).toMatchObject({ status: 200, body: { sent: true, source: 'project' } });
      expect(made).toEqual([{ host: '127.0.0.1', port: 2525, secure: false, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 }]);
      expect(existsSync(marker)).toBe(false);
    });

    it('seals the fields, not the URL, and answers host, port, TLS and user but never the password', async () => {
      await harness();
      const put = await api('PUT', '/v3/settings/mail', { smtp_url: `smtps://codes:s3cret-pass@${PUBLIC}:2465`, mail_from: 'Shop <security@shop.example>' });
      expect(put).toMatchObject({
        status: 200,
        body: { source: 'project', smtp: { host: PUBLIC, port: 2465, secure: true, user: 'codes' }, mail_from: 'Shop <security@shop.example>' },
      });
      expect(put.text).not.toContain('s3cret-pass');
      const stored = await h.store.projects.mailSettings(h.project.id);
      expect(stored).not.toContain('s3cret-pass');
    });
  });

  describe('SSRF: destinations a project may not point the server at (finding 2)', () => {
    const forbiddenHosts = [
      '127.0.0.1',
      'localhost',
      '2130706433',
      '[::ffff:127.0.0.1]',
      '[::1]',
      '10.0.0.5',
      '172.16.0.1',
      '192.168.1.1',
      '100.64.0.1',
      '169.254.169.254',
      '[fd00:ec2::254]',
      '[fe80::1]',
      '0.0.0.0',
      '224.0.0.1',
    ];

    it('refuses at save a webhook URL on loopback, private, link-local, CGNAT, unique-local, multicast or metadata addresses, however spelled', async () => {
      await harness();
      for (const url of [
        ...forbiddenHosts.map((host) => `http://${host}:8080/hooks`),
        'http://0x7f.1/',
        'http://2130706433/',
        'https://localhost/hooks',
        'http://[::ffff:169.254.169.254]/latest/meta-data/',
      ]) {
        const put = await api('PUT', '/v3/webhook', { url });
        expect(put, url).toMatchObject({ status: 400, body: { error: { code: 'DESTINATION_NOT_ALLOWED', request_id: expect.any(String) } } });
        // The answer names the host as given, never what a name resolved to: that would map the server's network.
        if (url.includes('localhost')) expect(put.text, url).not.toContain('127.0.0.1');
      }
      expect((await api('GET', '/v3/webhook')).status).toBe(404);
      expect(await api('PUT', '/v3/webhook', { url: `https://${PUBLIC}/hooks` })).toMatchObject({ status: 200 });
    });

    it('refuses at save an SMTP server on such addresses, and stores nothing', async () => {
      await harness();
      for (const host of forbiddenHosts) {
        const put = await api('PUT', '/v3/settings/mail', { smtp_url: `smtp://${host}:25`, mail_from: 'a@example.com' });
        expect(put, host).toMatchObject({ status: 400, body: { error: { code: 'DESTINATION_NOT_ALLOWED' } } });
      }
      expect(await h.store.projects.mailSettings(h.project.id)).toBeNull();
      expect(await api('PUT', '/v3/settings/mail', { smtp_url: `smtp://${PUBLIC}:25`, mail_from: 'a@example.com' })).toMatchObject({ status: 200 });
    });

    it('allows private destinations when the operator says projects live on a private network, but never metadata', async () => {
      await harness({ VIGIL_ALLOW_PRIVATE_DESTINATIONS: 'true' });
      expect(await api('PUT', '/v3/webhook', { url: 'http://10.0.0.5:8080/hooks' })).toMatchObject({ status: 200 });
      expect(await api('PUT', '/v3/settings/mail', { smtp_url: 'smtp://localhost:2525', mail_from: 'a@example.com' })).toMatchObject({ status: 200 });
      expect(await api('PUT', '/v3/webhook', { url: 'http://169.254.169.254/latest/meta-data/' })).toMatchObject({
        status: 400,
        body: { error: { code: 'DESTINATION_NOT_ALLOWED' } },
      });
      expect(await api('PUT', '/v3/settings/mail', { smtp_url: 'smtp://[fd00:ec2::254]', mail_from: 'a@example.com' })).toMatchObject({
        status: 400,
        body: { error: { code: 'DESTINATION_NOT_ALLOWED' } },
      });
    });

    it("refuses at send an SMTP server that is no longer allowed, and never echoes an internal server's banner", async () => {
      await harness({ VIGIL_ALLOW_PRIVATE_DESTINATIONS: 'true' });
      const service = await internalService('220 internal-relay.corp ESMTP Exim 4.96-secret-build');
      cleanups.push(service.close);
      expect(await api('PUT', '/v3/settings/mail', { smtp_url: `smtp://127.0.0.1:${service.port}`, mail_from: 'a@example.com' })).toMatchObject({ status: 200 });

      // Allowed: the peer is reached, and its refusal comes back as a generic failure.
      const refused = await api('POST', '/v3/settings/mail/test', { to: 'ops@example.com' });
      expect(refused).toMatchObject({ status: 502, body: { error: { code: 'CHALLENGE_DELIVERY_FAILED', message: expect.stringMatching(/could not be reached or refused/) } } });
      expect(refused.text).not.toMatch(/internal-relay|Exim|secret-build|\b554\b/);
      expect(service.connections).toHaveLength(1);

      // Saved while allowed, refused at send once it is not (as a rebound name would be): no connection.
      h.config.allowPrivateDestinations = false;
      const blocked = await api('POST', '/v3/settings/mail/test', { to: 'ops@example.com' });
      expect(blocked).toMatchObject({
        status: 502,
        body: { error: { code: 'CHALLENGE_DELIVERY_FAILED', message: expect.stringMatching(/not a destination this server connects to/) } },
      });
      expect(service.connections).toHaveLength(1);
    });

    it('refuses at send a webhook endpoint that resolves somewhere forbidden now, and reports no internal status', async () => {
      await harness({ VIGIL_SMS: 'console', VIGIL_ALLOW_PRIVATE_DESTINATIONS: 'true' });
      const endpoint = await internalEndpoint(403);
      cleanups.push(endpoint.close);
      await api('PUT', '/v3/webhook', { url: `http://127.0.0.1:${endpoint.port}/admin` });
      await challenge();
      // Saved while private destinations were allowed; dispatched under a config that forbids them.
      expect(await dispatchDueWebhooks({ store: h.store, now: () => h.clock.now, config: { allowPrivateDestinations: false } })).toBe(0);
      expect(endpoint.received).toHaveLength(0);
      const deliveries = (await api('GET', '/v3/webhook/deliveries')).body.data;
      expect(deliveries).toEqual([expect.objectContaining({ status: 'pending', last_error: 'destination not allowed' })]);
    });

    it('connects to the address it checked, not to what the name resolves to by the time it connects (DNS rebinding)', async () => {
      await harness({ VIGIL_SMS: 'console' });
      const endpoint = await internalEndpoint(500);
      cleanups.push(endpoint.close);
      // Stored directly: the name is one no real resolver knows, so only the stand-in resolver answers for it.
      await h.store.webhooks.createEndpoint(
        h.project.id,
        { id: 'we_rebind', url: `http://rebind.vigil.test:${endpoint.port}/hooks`, secret: 'whsec_dGVzdHRlc3R0ZXN0dGVzdA==', events: ['challenge.initiated'] },
        h.clock.now,
      );
      await challenge();
      let answers = [PUBLIC, '127.0.0.1']; // one public and one loopback answer: refused as a whole
      const lookup = async () => answers.map((address) => ({ address, family: 4 }));
      const warnings: string[] = [];
      const dispatch = (allowPrivateDestinations: boolean) =>
        dispatchDueWebhooks({
          store: h.store,
          now: () => h.clock.now,
          config: { allowPrivateDestinations },
          lookup,
          log: { warn: (o, m) => warnings.push(`${m} ${JSON.stringify(o)}`) },
        });
      expect(await dispatch(false)).toBe(0);
      expect(endpoint.received).toHaveLength(0);
      expect(warnings.join()).toContain('rebind.vigil.test');

      // On a private-network install the checked address is the one connected to, with the name as Host.
      answers = ['127.0.0.1'];
      h.clock.now += 60_000;
      expect(await dispatch(true)).toBe(0); // the endpoint answers 500
      expect(endpoint.received).toHaveLength(1);
      expect(endpoint.received[0]!.headers.host).toBe(`rebind.vigil.test:${endpoint.port}`);
      const deliveries = (await api('GET', '/v3/webhook/deliveries')).body.data;
      expect(deliveries[0].last_error).toBe('HTTP 5xx'); // the class, not the internal status
    });
  });
});
