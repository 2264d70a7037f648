import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError, createDelivery } from './delivery.js';

// The Twilio adapter speaks Twilio's Messages API; here to a local HTTP server standing in for it.
describe('SMS through the Twilio adapter', () => {
  const servers: ReturnType<typeof createServer>[] = [];
  afterEach(() => servers.splice(0).forEach((s) => s.close()));

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
    const delivery = createDelivery({ sms: { adapter: 'twilio', accountSid: 'AC123', authToken: 'token', from: '+15550001111', baseUrl } }, { info: () => undefined });
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
