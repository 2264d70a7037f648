import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError, type MailRoute, type SmtpTransportOptions, createDelivery } from './delivery.js';
import { parseSmtpUrl } from './smtp-url.js';

const quiet = { info: () => undefined, warn: () => undefined };

// The Twilio adapter speaks Twilio's Messages API; here to a local HTTP server standing in for it.
describe('SMS through the Twilio adapter', () => {
  const servers: ReturnType<typeof createServer>[] = [];
  afterEach(() => {
    for (const s of servers.splice(0)) s.close();
  });

  const gateway = async (status: number) => {
    const seen: { url?: string; auth?: string; type?: string; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ url: req.url, auth: req.headers.authorization, type: req.headers['content-type'], body });
        res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const delivery = createDelivery({ sms: { adapter: 'twilio', accountSid: 'AC123', authToken: 'token', from: '+15550001111', baseUrl }, allowPrivateDestinations: false }, quiet);
    return { seen, delivery };
  };

  it("posts the message form-encoded with basic auth to the account's Messages resource", async () => {
    const { seen, delivery } = await gateway(201);
    await delivery.sms({ to: '+4791234567', text: '042917 is your code' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe('/2010-04-01/Accounts/AC123/Messages.json');
    expect(seen[0]!.auth).toBe(`Basic ${Buffer.from('AC123:token').toString('base64')}`);
    expect(seen[0]!.type).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(seen[0]!.body))).toEqual({ To: '+4791234567', From: '+15550001111', Body: '042917 is your code' });
  });

  it('turns a refusal into a DeliveryError, and so does email without an SMTP server', async () => {
    const { delivery } = await gateway(400);
    await expect(delivery.sms({ to: '+4791234567', text: 'x' })).rejects.toThrow(DeliveryError);
    await expect(delivery.email({ to: 'a@example.com', subject: 's', text: 't', html: 'h' }, null)).rejects.toThrow(/SMTP_URL/);
  });
});

// What reaches nodemailer. Its createTransport reads a URL's query (and any key of an options object) as
// options: `smtp://x?sendmail=true&path=/bin/sh` made it run /bin/sh. The transport factory stands in
// for nodemailer here, so each test sees the exact options object it would have been given.
describe("email: only the SMTP URL's fields reach the mail library", () => {
  const message = { to: 'alice@example.com', subject: 's', text: 't', html: 'h' };
  const route = (url: string, trusted = false): MailRoute => {
    const parsed = parseSmtpUrl(url);
    if (!parsed.ok) throw new Error(parsed.problem);
    return { server: parsed.server, from: 'Shop <security@shop.example>', trusted };
  };
  const PUBLIC = '198.41.0.4'; // a public unicast address; nothing connects to it (the factory is a stand-in)
  const capture = (options: { allowPrivate?: boolean; addresses?: Record<string, string[]>; fail?: Error } = {}) => {
    const made: SmtpTransportOptions[] = [];
    const sent: object[] = [];
    const warnings: string[] = [];
    const delivery = createDelivery(
      { sms: { adapter: 'none' }, allowPrivateDestinations: options.allowPrivate ?? false },
      { info: () => undefined, warn: (o, m) => warnings.push(`${m} ${JSON.stringify(o)}`) },
      {
        createTransport: (o) => {
          made.push(o);
          return {
            sendMail: async (m) => {
              if (options.fail) throw options.fail;
              sent.push(m);
            },
          };
        },
        lookup: async (host) => (options.addresses?.[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
      },
    );
    return { delivery, made, sent, warnings };
  };

  it('gives nodemailer host, port, secure, auth, tls.servername and timeouts, and nothing else', async () => {
    const { delivery, made, sent } = capture({ addresses: { 'mail.example.com': [PUBLIC] } });
    await delivery.email(message, route('smtps://codes%40shop:p%3Fss@Mail.Example.com:2465'));
    expect(made).toEqual([
      {
        host: PUBLIC,
        port: 2465,
        secure: true,
        auth: { user: 'codes@shop', pass: 'p?ss' },
        tls: { servername: 'mail.example.com' },
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      },
    ]);
    expect(Object.keys(made[0]!).sort()).toEqual(['auth', 'connectionTimeout', 'greetingTimeout', 'host', 'port', 'secure', 'socketTimeout', 'tls']);
    expect(sent).toEqual([{ from: 'Shop <security@shop.example>', ...message }]);
  });

  it('refuses every URL that carries options, so none can reach nodemailer (regression: ?sendmail=true&path=/bin/sh ran a program)', () => {
    for (const url of [
      'smtp://x?sendmail=true&path=%2Fbin%2Fsh',
      'smtp://mail.example.com:25/?sendmail=true&path=/bin/sh&args=-c',
      'smtp://mail.example.com?streamTransport=true&buffer=true',
      'smtp://mail.example.com?jsonTransport=true',
      'smtp://mail.example.com?proxy=socks5://127.0.0.1:1080',
      'smtp://mail.example.com?pool=true&maxConnections=1000',
      'smtp://mail.example.com?tls.rejectUnauthorized=false',
      'smtp://mail.example.com?',
      'smtp://mail.example.com#sendmail=true',
      'smtp://mail.example.com/sendmail',
      'direct://mail.example.com',
      'sendmail://x',
    ]) {
      expect(parseSmtpUrl(url), url).toMatchObject({ ok: false });
    }
  });

  it("connects to the address it checked and names the host only for TLS; an IP literal gets no servername; the instance's server is used as configured", async () => {
    const { delivery, made } = capture({ addresses: { 'mail.example.com': [PUBLIC] } });
    await delivery.email(message, route(`smtp://${PUBLIC}:2525`));
    await delivery.email(message, route('smtp://[2001:4860:4860::8888]'));
    await delivery.email(message, route('smtp://relay.internal:2525', true));
    expect(made.map((o) => [o.host, o.port, o.tls ?? null, 'auth' in o])).toEqual([
      [PUBLIC, 2525, null, false],
      ['2001:4860:4860::8888', 587, null, false],
      ['relay.internal', 2525, null, false], // trusted: not resolved here, and may be private
    ]);
  });

  it('refuses at send a server that resolves to a private address now, whatever it resolved to when saved (DNS rebinding)', async () => {
    for (const addresses of [['127.0.0.1'], ['10.0.0.25'], ['169.254.169.254'], ['::ffff:127.0.0.1'], [PUBLIC, '192.168.1.10']]) {
      const { delivery, made, warnings } = capture({ addresses: { 'mail.example.com': addresses } });
      await expect(delivery.email(message, route('smtp://mail.example.com')), addresses.join()).rejects.toThrow(/not a destination this server connects to/);
      expect(made).toEqual([]); // no transport, so no connection
      expect(warnings.join()).toContain('mail.example.com');
    }
    const { delivery, made } = capture({ addresses: { 'mail.example.com': ['10.0.0.25'] }, allowPrivate: true });
    await delivery.email(message, route('smtp://mail.example.com'));
    expect(made[0]).toMatchObject({ host: '10.0.0.25', tls: { servername: 'mail.example.com' } });
  });

  it("tells the caller a generic failure and keeps the server's answer for the log", async () => {
    const banner = new Error('Invalid greeting. response=220 internal-redis.corp ESMTP build 4.2.1-secret');
    const { delivery, warnings } = capture({ addresses: { 'mail.example.com': [PUBLIC] }, fail: banner });
    const failure = await delivery.email(message, route('smtp://codes:pw-never-logged@mail.example.com')).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(failure).toBeInstanceOf(DeliveryError);
    expect(failure?.message).toBe('The mail server could not be reached or refused the message (the server log has the details)');
    expect(warnings.join()).toContain('4.2.1-secret');
    expect(warnings.join()).not.toContain('pw-never-logged');
  });
});
