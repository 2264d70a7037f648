import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailExchanger } from './mail-exchanger.js';

// A real DNS conversation with a local resolver (tests never touch the internet): MX for mail.test,
// only an A record for a.test, nothing for nomail.test, and silence for slow.test.
let server: Socket;
let address: string;
let asked = 0;

beforeAll(async () => {
  server = createSocket('udp4');
  server.on('message', (message, remote) => {
    const query = dnsPacket.decode(message);
    const question = query.questions?.[0];
    if (!question || question.name === 'slow.test') return;
    asked++;
    const answers: dnsPacket.Answer[] = [];
    if (question.name === 'mail.test' && question.type === 'MX') answers.push({ type: 'MX', name: 'mail.test', ttl: 60, data: { preference: 10, exchange: 'mx.mail.test' } });
    if (question.name === 'a.test' && question.type === 'A') answers.push({ type: 'A', name: 'a.test', ttl: 60, data: '192.0.2.10' });
    const known = ['mail.test', 'a.test'].includes(question.name);
    const reply = dnsPacket.encode({ type: 'response', id: query.id, flags: dnsPacket.RECURSION_DESIRED | (known ? 0 : 3), questions: query.questions, answers });
    server.send(reply, remote.port, remote.address);
  });
  await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
  address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('MailExchanger', () => {
  it('answers true for an MX record, true for an address standing in, false for a domain that does not exist', async () => {
    const mx = new MailExchanger({ servers: [address], timeoutMs: 300 });
    expect(await mx.has('mail.test')).toBe(true);
    expect(await mx.has('a.test')).toBe(true);
    expect(await mx.has('nomail.test')).toBe(false);
  });

  it('says null, not false, when DNS does not answer in time', async () => {
    const mx = new MailExchanger({ servers: [address], timeoutMs: 100 });
    expect(await mx.has('slow.test')).toBeNull();
  });

  it('keeps answers for their time, then asks again', async () => {
    let now = 0;
    const mx = new MailExchanger({ servers: [address], timeoutMs: 300, ttlMs: 1000, now: () => now });
    const before = asked;
    await mx.has('mail.test');
    await mx.has('mail.test');
    expect(asked - before).toBe(1);
    now = 2000;
    await mx.has('mail.test');
    expect(asked - before).toBe(2);
  });
});
