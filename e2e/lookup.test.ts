import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runVigil } from './support/vigil-process.js';

// `vigil lookup` as an operator runs it: "why did Vigil call this IP a VPN?"
const env = { VIGIL_DATA_DIR: '/nonexistent-lookup' };
const lines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
const torExit = readFileSync(new URL('../packages/intel/data/ip/tor/tor_exit_nodes_2024-02-27.lst', import.meta.url), 'utf8')
  .split('\n')[0]!
  .trim();

describe('vigil lookup', () => {
  it('answers for IPs given as arguments, and goes on past an invalid one', async () => {
    const result = await runVigil(['lookup', 'ip', torExit, 'not-an-ip', '84.208.1.1'], env);
    expect(result.code).toBe(1);
    const [tor, bad, oslo] = lines(result.stdout);
    expect(tor).toMatchObject({
      input: torExit,
      type: 'tor',
      sources: expect.arrayContaining(['tor_exits']),
      asn: expect.any(Number),
      as_org: expect.any(String),
      list_age_days: expect.any(Number),
    });
    for (const key of ['country', 'latitude', 'longitude', 'accuracy_km']) expect(tor).toHaveProperty(key);
    expect(bad).toEqual({ input: 'not-an-ip', error: 'not an IPv4 or IPv6 address' });
    expect(oslo).toMatchObject({ country: 'NO', type: 'isp', asn_type: 'isp', accuracy_km: 100, asn: 25400, as_org: 'Telia Norge AS' });
  });

  it('reads values from standard input, one a line, when none are given', async () => {
    const result = await runVigil(['lookup', 'email'], env, 'alice@gmail.com\n\nx@MX.0-mail.com\nnot-an-email\n');
    expect(lines(result.stdout)).toEqual([
      { input: 'alice@gmail.com', valid: true, domain: 'gmail.com', disposable: false, webmail: true },
      { input: 'x@MX.0-mail.com', valid: true, domain: '0-mail.com', disposable: true, webmail: false },
      { input: 'not-an-email', error: 'not a valid email address', valid: false, domain: null, disposable: false, webmail: false },
    ]);
    expect(result.code).toBe(1);
  });

  it('classifies user agents and phones, with exit code 0 when all were valid', async () => {
    const ua = await runVigil(
      ['lookup', 'ua', 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.6.1 Mobile/15E148 Safari/604.1'],
      env,
    );
    expect(ua.code).toBe(0);
    expect(lines(ua.stdout)[0]).toMatchObject({ browser: 'Mobile Safari', os: 'iOS', device_class: 'mobile', is_bot: false });
    const phone = await runVigil(['lookup', 'phone', '+47 412 34 567'], env);
    expect(lines(phone.stdout)[0]).toEqual({ input: '+47 412 34 567', valid: true, country: 'NO', type: 'mobile', e164: '+4741234567' });
  });

  it('explains bad usage with exit code 2', async () => {
    const result = await runVigil(['lookup', 'planet', 'x'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('vigil lookup ip|email|ua|phone');
  });
});
