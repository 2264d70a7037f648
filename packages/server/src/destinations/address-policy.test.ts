import { describe, expect, it } from 'vitest';
import { addressAllowed, classifyAddress } from './address-policy.js';

describe('which addresses a project may make the server connect to', () => {
  it('classifies public, private and forbidden addresses, judging IPv4-mapped IPv6 by its IPv4', () => {
    const cases: Record<string, ReturnType<typeof classifyAddress>> = {
      '93.184.215.14': 'public',
      '2001:4860:4860::8888': 'public',
      '127.0.0.1': 'private',
      '127.8.9.10': 'private',
      '::1': 'private',
      '::ffff:127.0.0.1': 'private',
      '::ffff:7f00:1': 'private',
      '10.1.2.3': 'private',
      '172.16.5.4': 'private',
      '192.168.0.1': 'private',
      '100.64.0.1': 'private', // CGNAT
      '169.254.10.10': 'private', // link-local
      'fe80::1': 'private',
      'fc00::1': 'private',
      '::ffff:93.184.215.14': 'public',
      // Never, even on a private network: metadata endpoints, and what is no host at all.
      '169.254.169.254': 'forbidden',
      '::ffff:169.254.169.254': 'forbidden',
      'fd00:ec2::254': 'forbidden',
      '169.254.170.2': 'forbidden',
      '100.100.100.200': 'forbidden',
      '0.0.0.0': 'forbidden',
      '::': 'forbidden',
      '255.255.255.255': 'forbidden',
      '224.0.0.1': 'forbidden',
      'ff02::1': 'forbidden',
      '192.0.2.1': 'forbidden', // documentation
      '240.0.0.1': 'forbidden',
      '::7f00:1': 'forbidden', // IPv4-compatible ::127.0.0.1: an IPv4 address in disguise
      '64:ff9b::7f00:1': 'forbidden', // NAT64 of 127.0.0.1
      '2002:7f00:1::1': 'forbidden', // 6to4 of 127.0.0.1
      '2001:db8::1': 'forbidden',
      '2130706433': 'forbidden', // not spelled out: never judged as 127.0.0.1 or anything else
      localhost: 'forbidden',
    };
    for (const [address, verdict] of Object.entries(cases)) expect(classifyAddress(address), address).toBe(verdict);
  });

  it('allows private addresses only when the operator allows private destinations', () => {
    expect(addressAllowed('93.184.215.14', { allowPrivate: false })).toBe(true);
    expect(addressAllowed('10.0.0.5', { allowPrivate: false })).toBe(false);
    expect(addressAllowed('10.0.0.5', { allowPrivate: true })).toBe(true);
    expect(addressAllowed('[::1]', { allowPrivate: true })).toBe(true);
    expect(addressAllowed('169.254.169.254', { allowPrivate: true })).toBe(false);
    expect(addressAllowed('fd00:ec2::254', { allowPrivate: true })).toBe(false);
  });
});
