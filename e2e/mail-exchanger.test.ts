import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsServer } from './support/dns-server.js';
import { type RunningVigil, startVigil } from './support/vigil-process.js';

// With VIGIL_DNS pointing at a local resolver, an email whose domain cannot receive mail is invalid; with
// VIGIL_SMTP_PROBE too, a real SMTP conversation with the domain's mail exchanger (an smtp-server peer that
// takes any address at catchall.test and refuses unknown ones at strict.test) says whether it accepts all.
let dns: Awaited<ReturnType<typeof startDnsServer>>;
let mailExchanger: SMTPServer;
const recipients: string[] = [];
let vigil: RunningVigil;
let dataDir: string;
let secretKey: string;

beforeAll(async () => {
  dns = await startDnsServer({ 'shop.test': 'mx.shop.test', 'catchall.test': '127.0.0.1', 'strict.test': '127.0.0.1' });
  mailExchanger = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onRcptTo(address, _session, callback) {
      recipients.push(address.address);
      if (address.address.endsWith('@catchall.test')) return callback();
      callback(Object.assign(new Error('No such user here'), { responseCode: 550 }));
    },
  });
  await new Promise<void>((resolve) => mailExchanger.listen(0, '127.0.0.1', () => resolve()));
  const port = (mailExchanger.server.address() as AddressInfo).port;
  dataDir = mkdtempSync(join(tmpdir(), 'vigil-dns-'));
  vigil = await startVigil({ VIGIL_DATA_DIR: dataDir, VIGIL_DNS: dns.address, VIGIL_SMTP_PROBE: String(port), VIGIL_ALLOW_PRIVATE_DESTINATIONS: 'true' });
  secretKey = /secret key\s+(sk_\w+)/.exec(vigil.output())![1]!;
});
afterAll(async () => {
  await vigil?.stop();
  await dns?.close();
  await new Promise<void>((resolve) => (mailExchanger ? mailExchanger.close(() => resolve()) : resolve()));
  rmSync(dataDir, { recursive: true, force: true });
});

const evaluate = async (email: string) => {
  const res = await fetch(`${vigil.url}/v3/evaluations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'signup', user: email, email }),
  });
  return (await res.json()).checks;
};

describe('mail-exchanger checks', () => {
  it('calls an address at a domain with MX valid, and one at a domain with none invalid', async () => {
    expect(await evaluate('ann@shop.test')).toMatchObject({ email_is_invalid: false });
    expect(await evaluate('bob@nomail.test')).toMatchObject({ email_is_invalid: true });
  });
});

describe('accept-all probe', () => {
  it("answers email_is_accept_all per domain from the mail exchanger, asking with a random address, never the user's", async () => {
    // A domain's first probe may outlast what an evaluation waits for it: then the answer is null (unknown) at first.
    const settled = async (email: string) => {
      for (let i = 0; i < 50; i++) {
        const checks = await evaluate(email);
        if (checks.email_is_accept_all !== undefined) return checks;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`no accept-all answer for ${email}`);
    };
    expect(await settled('carol@catchall.test')).toMatchObject({ email_is_accept_all: true, email_is_invalid: false });
    expect(await settled('dan@strict.test')).toMatchObject({ email_is_accept_all: false, email_is_invalid: false });
    expect(recipients.length).toBeGreaterThanOrEqual(2);
    expect(recipients.every((r) => /^[0-9a-f]{24}@(catchall|strict)\.test$/.test(r))).toBe(true);
    // Asked once per domain, then remembered.
    const asked = recipients.length;
    expect(await evaluate('erin@catchall.test')).toMatchObject({ email_is_accept_all: true });
    expect(recipients.length).toBe(asked);
    // A domain that cannot receive mail is not probed at all.
    expect(await evaluate('fay@nomail.test')).not.toHaveProperty('email_is_accept_all');
  });
});
