import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsServer } from './support/dns-server.js';
import { type RunningVigil, startVigil } from './support/vigil-process.js';

// With VIGIL_DNS pointing at a local resolver, an email whose domain cannot receive mail is invalid.
let dns: Awaited<ReturnType<typeof startDnsServer>>;
let vigil: RunningVigil;
let dataDir: string;
let secretKey: string;

beforeAll(async () => {
  dns = await startDnsServer({ 'shop.test': 'mx.shop.test' });
  dataDir = mkdtempSync(join(tmpdir(), 'vigil-dns-'));
  vigil = await startVigil({ VIGIL_DATA_DIR: dataDir, VIGIL_DNS: dns.address });
  secretKey = /secret key\s+(sk_\w+)/.exec(vigil.output())![1]!;
});
afterAll(async () => {
  await vigil?.stop();
  await dns?.close();
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
