import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailExchanger } from './mail-exchanger.js';

// A real DNS conversation with a local resolver (tests never touch the internet): MX for mail.test,
// three MX records out of order for many.test, a null MX for nullmx.test, only an A record for a.test,
// nothing for nomail.test, and silence for slow.test.
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
    if (question.name === 'many.test' && question.type === 'MX') {
      for (const [preference, exchange] of [
        [20, 'backup.many.test'],
        [5, 'first.many.test'],
        [10, 'second.many.test'],
      ] as const) {
        answers.push({ type: 'MX', name: 'many.test', ttl: 60, data: { preference, exchange } });
      }
    }
    if (question.name === 'nullmx.test' && question.type === 'MX') answers.push({ type: 'MX', name: 'nullmx.test', ttl: 60, data: { preference: 0, exchange: '.' } });
    if (question.name === 'a.test' && question.type === 'A') answers.push({ type: 'A', name: 'a.test', ttl: 60, data: '192.0.2.10' });
    const known = ['mail.test', 'many.test', 'nullmx.test', 'a.test'].includes(question.name);
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

  it('lists the exchangers most preferred first, the domain itself for an address record, none for no mail', async () => {
    const mx = new MailExchanger({ servers: [address], timeoutMs: 300 });
    expect(await mx.exchangers('many.test')).toEqual(['first.many.test', 'second.many.test', 'backup.many.test']);
    expect(await mx.exchangers('mail.test')).toEqual(['mx.mail.test']);
    expect(await mx.exchangers('a.test')).toEqual(['a.test']);
    expect(await mx.exchangers('nullmx.test')).toEqual([]);
    expect(await mx.exchangers('nomail.test')).toEqual([]);
    const { exchangers } = mx; // handed on unbound, as to AcceptAllProbe
    expect(await exchangers('mail.test')).toEqual(['mx.mail.test']);
  });

  it('lists no exchangers (null, not []) when DNS does not answer in time, and caches the list', async () => {
    const mx = new MailExchanger({ servers: [address], timeoutMs: 100 });
    expect(await mx.exchangers('slow.test')).toBeNull();
    const before = asked;
    await mx.exchangers('many.test');
    await mx.exchangers('many.test');
    expect(asked - before).toBe(1);
  });
});
