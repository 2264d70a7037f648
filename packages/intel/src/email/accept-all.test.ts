import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AcceptAllProbe, type AcceptAllProbeOptions } from './accept-all.js';

// Real SMTP conversations over TCP with local peers (tests never touch the internet).
interface Peer {
  port: number;
  connections: number;
  recipients: string[];
  close(): Promise<void>;
}

/** An smtp-server peer; `refuse` gives the reply code and text for a recipient it does not take. */
async function smtpPeer(refuse: (address: string) => { code: number; message: string } | null, options: { delayMs?: number } & Partial<SMTPServerOptions> = {}): Promise<Peer> {
  const { delayMs = 0, ...serverOptions } = options;
  const peer: Peer = { port: 0, connections: 0, recipients: [], close: async () => {} };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    ...serverOptions,
    onConnect(_session, callback) {
      peer.connections++;
      callback();
    },
    onRcptTo(address, _session, callback) {
      peer.recipients.push(address.address);
      setTimeout(() => {
        const refusal = refuse(address.address);
        if (!refusal) return callback();
        callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
      }, delayMs);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  peer.port = (server.server.address() as AddressInfo).port;
  peer.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return peer;
}

/** A raw TCP peer that answers each line by script (null: say nothing), recording what it was told. */
async function rawPeer(greeting: string | null, answer: (line: string) => string | null) {
  const sockets = new Set<Socket>();
  const heard: string[] = [];
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    if (greeting) socket.write(greeting);
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      for (let end = buffered.indexOf('\r\n'); end >= 0; end = buffered.indexOf('\r\n')) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        heard.push(line);
        const reply = answer(line);
        if (reply) socket.write(reply);
        if (line === 'QUIT') socket.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    heard,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let acceptAll: Peer;
let rejecting: Peer;
let greylisting: Peer;
let blocking: Peer;
let slow: Peer;
let silent: Awaited<ReturnType<typeof rawPeer>>;
let oldServer: Awaited<ReturnType<typeof rawPeer>>;
let closedPort: number;

beforeAll(async () => {
  acceptAll = await smtpPeer(() => null);
  rejecting = await smtpPeer((address) => (address === 'alice@strict.test' ? null : { code: 550, message: 'No such user' }));
  greylisting = await smtpPeer(() => ({ code: 450, message: 'Greylisted, try again later' }));
  // Without smtp-server's own enhanced codes, so the reply reads "550 5.7.1 ..." as a blocklist's would.
  blocking = await smtpPeer(() => ({ code: 550, message: '5.7.1 Client host rejected: listed at a DNSBL' }), { hideENHANCEDSTATUSCODES: true });
  slow = await smtpPeer(() => null, { delayMs: 400 });
  silent = await rawPeer(null, () => null);
  // Multi-line greeting, no EHLO (an RFC 821 server): the probe must fall back to HELO.
  oldServer = await rawPeer('220-old.test ESMTP-less\r\n220 at your service\r\n', (line) => {
    if (line.startsWith('EHLO')) return '502 Command not implemented\r\n';
    if (line === 'QUIT') return '221 Bye\r\n';
    return '250 OK\r\n';
  });
  const unused = createServer();
  await new Promise<void>((resolve) => unused.listen(0, '127.0.0.1', resolve));
  closedPort = (unused.address() as AddressInfo).port;
  await new Promise<void>((resolve) => unused.close(() => resolve()));
});

afterAll(async () => {
  await Promise.all([acceptAll, rejecting, greylisting, blocking, slow, silent, oldServer].map((peer) => peer?.close()));
});

const local = () => ['127.0.0.1'];
function probeOf(port: number, options: Partial<AcceptAllProbeOptions> = {}) {
  return new AcceptAllProbe({ exchangersOf: async () => local(), port, heloName: 'probe.test', timeoutMs: 2000, ...options });
}

describe('AcceptAllProbe', () => {
  it('says true for a server that accepts any recipient, with a random address at the domain, never the user', async () => {
    const before = acceptAll.recipients.length;
    expect(await probeOf(acceptAll.port).probe('catchall.test')).toBe(true);
    const seen = acceptAll.recipients.slice(before);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^[0-9a-f]{24}@catchall\.test$/);
    expect(seen[0]).not.toBe('alice@catchall.test');
  });

  it('says false for a server that refuses unknown recipients (550)', async () => {
    const before = rejecting.recipients.length;
    expect(await probeOf(rejecting.port).probe('strict.test')).toBe(false);
    const seen = rejecting.recipients.slice(before);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/@strict\.test$/);
    expect(seen[0]).not.toBe('alice@strict.test');
  });

  it('says null for greylisting (450) and for a policy refusal of the probe itself (5.7.1)', async () => {
    expect(await probeOf(greylisting.port).probe('grey.test')).toBeNull();
    expect(greylisting.recipients).toHaveLength(1);
    expect(await probeOf(blocking.port).probe('blocked.test')).toBeNull();
    expect(blocking.recipients).toHaveLength(1);
  });

  it('says null when the server never speaks, within the timeout', async () => {
    const started = Date.now();
    expect(await probeOf(silent.port, { timeoutMs: 150 }).probe('silent.test')).toBeNull();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('says null for a closed port, and tries the next exchanger when the first cannot be reached', async () => {
    expect(await probeOf(closedPort).probe('closed.test')).toBeNull();
    const before = acceptAll.connections;
    // 127.0.0.2 is loopback too, but nothing listens there: refused at once.
    const probe = probeOf(acceptAll.port, { exchangersOf: async () => ['127.0.0.2', '127.0.0.1'] });
    expect(await probe.probe('backup.test')).toBe(true);
    expect(acceptAll.connections - before).toBe(1);
  });

  it('says null, without connecting, for no exchangers, a failed lookup or a domain that is not a host name', async () => {
    const before = acceptAll.connections;
    expect(await probeOf(acceptAll.port, { exchangersOf: async () => null }).probe('unknown.test')).toBeNull();
    expect(await probeOf(acceptAll.port, { exchangersOf: async () => [] }).probe('nomail.test')).toBeNull();
    expect(await probeOf(acceptAll.port, { exchangersOf: () => Promise.reject(new Error('DNS down')) }).probe('down.test')).toBeNull();
    expect(await probeOf(acceptAll.port).probe('evil.test>\r\nDATA')).toBeNull();
    expect(acceptAll.connections).toBe(before);
  });

  it('falls back to HELO, reads multi-line replies, quits and never sends DATA', async () => {
    const probe = probeOf(oldServer.port, { random: () => 'f'.repeat(24) });
    expect(await probe.probe('old.test')).toBe(true);
    await expect.poll(() => oldServer.heard.at(-1)).toBe('QUIT');
    expect(oldServer.heard).toEqual(['EHLO probe.test', 'HELO probe.test', 'MAIL FROM:<>', `RCPT TO:<${'f'.repeat(24)}@old.test>`, 'QUIT']);
  });

  it('keeps answers for their time (unknown ones shorter), then asks again', async () => {
    let now = 0;
    const probe = probeOf(acceptAll.port, { ttlMs: 60_000, now: () => now });
    const before = acceptAll.connections;
    expect(await probe.probe('cached.test')).toBe(true);
    expect(await probe.probe('CACHED.test')).toBe(true);
    expect(acceptAll.connections - before).toBe(1);
    now = 61_000;
    expect(await probe.probe('cached.test')).toBe(true);
    expect(acceptAll.connections - before).toBe(2);

    const grey = probeOf(greylisting.port, { now: () => now });
    const greyBefore = greylisting.connections;
    expect(await grey.probe('grey.test')).toBeNull();
    expect(await grey.probe('grey.test')).toBeNull();
    expect(greylisting.connections - greyBefore).toBe(1);
    now += 600_001; // ten minutes: greylisting has likely passed
    await grey.probe('grey.test');
    expect(greylisting.connections - greyBefore).toBe(2);
  });

  it('forgets the oldest domain beyond maxCached', async () => {
    const probe = probeOf(acceptAll.port, { maxCached: 2 });
    const before = acceptAll.connections;
    for (const domain of ['one.test', 'two.test', 'three.test']) await probe.probe(domain);
    await probe.probe('three.test');
    expect(acceptAll.connections - before).toBe(3);
    await probe.probe('one.test');
    expect(acceptAll.connections - before).toBe(4);
  });

  it('makes one connection for concurrent probes of one domain', async () => {
    const probe = probeOf(acceptAll.port);
    const before = acceptAll.connections;
    expect(await Promise.all([probe.probe('busy.test'), probe.probe('busy.test'), probe.answer('busy.test', 1000)])).toEqual([true, true, true]);
    expect(acceptAll.connections - before).toBe(1);
  });

  it("answers null quickly for a slow server, and the finished probe's answer later", async () => {
    const probe = probeOf(slow.port);
    const started = Date.now();
    expect(await probe.answer('slow.test', 50)).toBeNull();
    expect(Date.now() - started).toBeLessThan(300);
    expect(await probe.probe('slow.test')).toBe(true); // joins the probe still going on
    const again = Date.now();
    expect(await probe.answer('slow.test', 50)).toBe(true);
    expect(Date.now() - again).toBeLessThan(50); // from the cache, not after waiting
    expect(slow.connections).toBe(1);
  });
});
