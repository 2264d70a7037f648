import { describe, expect, it } from 'vitest';
import { type Lookup, resolveDestination } from './resolve.js';

// A stand-in for DNS: the names below never reach a real resolver, except `localhost` (the hosts file).
const dns =
  (answers: Record<string, string[]>): Lookup =>
  async (host) => {
    const addresses = answers[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

describe('resolving a destination host', () => {
  const lookup = dns({
    'hooks.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
    'split.example.com': ['93.184.215.14', '10.0.0.7'],
    'inside.example.com': ['192.168.1.20'],
  });

  it('answers the first address when every address is allowed', async () => {
    expect(await resolveDestination('hooks.example.com', { allowPrivate: false, lookup })).toEqual({ ok: true, address: '93.184.215.14', family: 4 });
    expect(await resolveDestination('[2606:2800:21f:cb07:6820:80da:af6b:8b2c]', { allowPrivate: false, lookup })).toEqual({
      ok: true,
      address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c',
      family: 6,
    });
  });

  it('refuses a host when any of its addresses is forbidden, since a connection could pick that one', async () => {
    expect(await resolveDestination('split.example.com', { allowPrivate: false, lookup })).toMatchObject({ ok: false, reason: 'not_allowed' });
    expect(await resolveDestination('inside.example.com', { allowPrivate: false, lookup })).toMatchObject({ ok: false, reason: 'not_allowed' });
    expect(await resolveDestination('inside.example.com', { allowPrivate: true, lookup })).toEqual({ ok: true, address: '192.168.1.20', family: 4 });
    expect(await resolveDestination('[::ffff:127.0.0.1]', { allowPrivate: false, lookup })).toMatchObject({ ok: false, reason: 'not_allowed' });
    expect(await resolveDestination('nowhere.example.com', { allowPrivate: false, lookup })).toMatchObject({ ok: false, reason: 'unresolvable' });
  });

  it('refuses localhost and numeric spellings of loopback through the system resolver', async () => {
    for (const host of ['localhost', '2130706433', '0x7f.1', '127.1']) {
      expect(await resolveDestination(host, { allowPrivate: false }), host).toMatchObject({ ok: false, reason: 'not_allowed', addresses: expect.arrayContaining(['127.0.0.1']) });
    }
  });
});
