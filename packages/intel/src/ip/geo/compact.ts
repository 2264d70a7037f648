import { readFileSync } from 'node:fs';
import { Reader, type Response } from 'mmdb-lib';

/**
 * DB-IP's city database (two MMDB files, 134 MB) boiled down to what impossible travel needs: for each
 * range of addresses, a place (latitude and longitude to a quarter degree, about 28 km, well inside the
 * 100 km a city-level fix is trusted to; the country; whether a city was known). Adjacent ranges with
 * the same place are merged. About 60 MB in typed arrays, searched by binary search.
 */
export interface CompactGeo {
  builtAt: number;
  countries: string[];
  v4Starts: Uint32Array;
  v4Places: Uint16Array;
  /** IPv6 ranges by their first 64 bits (networks are /64 or larger in practice). */
  v6Starts: BigUint64Array;
  v6Places: Uint16Array;
  /** Per place: latitude and longitude in hundredths of a degree, country index, city known (1) or not. */
  lat: Int16Array;
  lon: Int16Array;
  country: Uint16Array;
  city: Uint8Array;
}

const STEP = 0.25;
const NO_PLACE = 0xffff;

interface DbipRecord {
  city?: string;
  country_code?: string;
  latitude?: number;
  longitude?: number;
}

interface Walkable {
  metadata: { nodeCount: number; recordSize: number; buildEpoch: Date };
  walker: { left(offset: number): number; right(offset: number): number };
  resolveDataPointer(pointer: number): unknown;
}

class Places {
  readonly keys = new Map<string, number>();
  readonly lat: number[] = [];
  readonly lon: number[] = [];
  readonly country: number[] = [];
  readonly city: number[] = [];
  readonly countries: string[] = [];
  private readonly countryIds = new Map<string, number>();

  idOf(record: DbipRecord | null): number {
    if (!record || typeof record.latitude !== 'number' || typeof record.longitude !== 'number') return NO_PLACE;
    const lat = Math.round(record.latitude / STEP) * STEP;
    const lon = Math.round(record.longitude / STEP) * STEP;
    const code = record.country_code ?? '';
    const hasCity = record.city ? 1 : 0;
    const key = `${code}|${hasCity}|${lat}|${lon}`;
    let id = this.keys.get(key);
    if (id === undefined) {
      id = this.lat.length;
      if (id >= NO_PLACE) throw new Error('more than 65,535 places: raise the rounding step');
      let c = this.countryIds.get(code);
      if (c === undefined) {
        c = this.countries.push(code) - 1;
        this.countryIds.set(code, c);
      }
      this.keys.set(key, id);
      this.lat.push(Math.round(lat * 100));
      this.lon.push(Math.round(lon * 100));
      this.country.push(c);
      this.city.push(hasCity);
    }
    return id;
  }
}

/** Walks the search tree in address order, visiting each leaf with its first address and data pointer. */
function walk(db: Walkable, bits: 32 | 128, visit: (start: bigint, pointer: number) => void): void {
  const { nodeCount, recordSize } = db.metadata;
  const bytes = (recordSize * 2) / 8;
  // Entries are nodes (to expand) or leaves (to visit), both popped in order: right is pushed before
  // left, so the lower half of the space always comes out first and starts are sorted.
  const stack: [record: number, depth: number, start: bigint][] = [[0, 0, 0n]];
  while (stack.length > 0) {
    const [record, depth, start] = stack.pop()!;
    if (record >= nodeCount || depth === bits) {
      visit(start, record > nodeCount ? record : 0);
      continue;
    }
    const offset = record * bytes;
    stack.push([db.walker.right(offset), depth + 1, start + (1n << BigInt(bits - depth - 1))]);
    stack.push([db.walker.left(offset), depth + 1, start]);
  }
}

export function buildCompactGeo(v4File: string, v6File: string): CompactGeo {
  const places = new Places();
  const dataCache = new Map<number, number>();
  const noCache = { get: () => undefined, set: () => undefined };
  const placeOf = (db: Walkable, pointer: number) => {
    let id = dataCache.get(pointer);
    if (id === undefined) {
      id = places.idOf(pointer ? (db.resolveDataPointer(pointer) as DbipRecord) : null);
      dataCache.set(pointer, id);
    }
    return id;
  };

  const v4 = new Reader<Response>(readFileSync(v4File), { cache: noCache }) as unknown as Walkable;
  const v4Starts: number[] = [];
  const v4Places: number[] = [];
  walk(v4, 32, (start, pointer) => {
    const id = placeOf(v4, pointer);
    if (v4Places.at(-1) === id) return; // the same place continues
    v4Starts.push(Number(start));
    v4Places.push(id);
  });

  dataCache.clear();
  const v6 = new Reader<Response>(readFileSync(v6File), { cache: noCache }) as unknown as Walkable;
  const v6Starts: bigint[] = [];
  const v6Places: number[] = [];
  let lastHigh = -1n;
  let pending: number | null = null;
  walk(v6, 128, (start, pointer) => {
    const id = placeOf(v6, pointer);
    const high = start >> 64n;
    // Several places inside one /64: the first stands for it, and a later one resumes at the next /64.
    if (high === lastHigh) {
      pending = id;
      return;
    }
    if (pending !== null && high > lastHigh + 1n && pending !== v6Places.at(-1)) {
      v6Starts.push(lastHigh + 1n);
      v6Places.push(pending);
    }
    pending = null;
    lastHigh = high;
    if (v6Places.at(-1) === id) return;
    v6Starts.push(high);
    v6Places.push(id);
  });

  return {
    builtAt: v4.metadata.buildEpoch.getTime(),
    countries: places.countries,
    v4Starts: Uint32Array.from(v4Starts),
    v4Places: Uint16Array.from(v4Places),
    v6Starts: BigUint64Array.from(v6Starts),
    v6Places: Uint16Array.from(v6Places),
    lat: Int16Array.from(places.lat),
    lon: Int16Array.from(places.lon),
    country: Uint16Array.from(places.country),
    city: Uint8Array.from(places.city),
  };
}

export { NO_PLACE };
