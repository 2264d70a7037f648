import type { AddressInfo } from 'node:net';
import type { MailExchanger } from '@vigil/intel';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { acceptAllProbeFor } from './accept-all-probe.js';

// A mail exchanger is named by whoever owns the email's domain: one on loopback or the private network
// is never dialled unless the operator allows private destinations.
let peer: SMTPServer;
let port: number;
let connections = 0;

beforeAll(async () => {
  peer = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onConnect: (_s, cb) => {
      connections++;
      cb();
    },
  });
  await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', () => resolve()));
  port = (peer.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => peer.close(() => resolve())));

const pointingAtLoopback = { exchangers: async () => ['127.0.0.1', 'localhost'] } as unknown as MailExchanger;

describe('acceptAllProbeFor', () => {
  it('is off unless VIGIL_SMTP_PROBE is set', () => {
    expect(acceptAllProbeFor(loadConfig({}), pointingAtLoopback)).toBeNull();
  });

  it('never dials a private mail exchanger by default, and does when private destinations are allowed', async () => {
    const closed = acceptAllProbeFor(loadConfig({ VIGIL_DNS: 'system', VIGIL_SMTP_PROBE: String(port) }), pointingAtLoopback)!;
    expect(await closed.probe('internal.test')).toBeNull();
    expect(connections).toBe(0);
    const open = acceptAllProbeFor(loadConfig({ VIGIL_DNS: 'system', VIGIL_SMTP_PROBE: String(port), VIGIL_ALLOW_PRIVATE_DESTINATIONS: 'true' }), pointingAtLoopback)!;
    expect(await open.probe('internal.test')).toBe(true);
    expect(connections).toBe(1);
  });
});
