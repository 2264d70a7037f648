import { describe, expect, it } from 'vitest';
import { parseIp } from './normalize_ip.js';

describe('parseIp', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7', 4],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1', 6],
    ['2001:DB8::1', '2001:db8::1', 6],
    ['::ffff:198.51.100.4', '198.51.100.4', 4],
    [' 8.8.8.8 ', '8.8.8.8', 4],
  ] as const)('writes %s as %s', (input, address, version) => {
    expect(parseIp(input)).toMatchObject({ address, version });
  });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['192.168.0.10', 'private'],
    ['fd00::1', 'private'],
    ['100.64.0.1', 'private'],
    ['8.8.8.8', 'public'],
    ['2a00:1450:4001::1', 'public'],
    ['0.0.0.0', 'reserved'],
    ['224.0.0.1', 'reserved'],
  ] as const)('knows %s is %s', (input, range) => {
    expect(parseIp(input)?.range).toBe(range);
  });

  it.each(['', 'localhost', '1', '0x7f.0.0.1', '256.1.1.1', '1.2.3', ':::', 'ev_123'])('refuses %j', (input) => {
    expect(parseIp(input)).toBeNull();
  });
});
