import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { NumericIp } from './address.js';
import { lastAtMost } from './search.js';

export interface AsnRecord {
  asn: number;
  org: string;
}

/** One CSV line `start,end,asn,org` (org possibly quoted with "" escapes). */
function parseLine(line: string): [string, string, number, string] | null {
  const a = line.indexOf(',');
  const b = line.indexOf(',', a + 1);
  const c = line.indexOf(',', b + 1);
  if (a < 0 || b < 0 || c < 0) return null;
  let org = line.slice(c + 1);
  if (org.startsWith('"') && org.endsWith('"')) org = org.slice(1, -1).replaceAll('""', '"');
  const asn = Number(line.slice(b + 1, c));
  return Number.isInteger(asn) ? [line.slice(0, a), line.slice(a + 1, b), asn, org] : null;
}

/**
 * IP → autonomous system and its organisation, from @ip-location-db/asn (RouteViews and DB-IP, CC BY 4.0):
 * sorted, disjoint ranges in typed arrays with the organisation names stored once each.
 */
export class AsnIndex {
  private constructor(
    private readonly v4Start: Uint32Array,
    private readonly v4End: Uint32Array,
    private readonly v4Asn: Uint32Array,
    private readonly v4Org: Uint32Array,
    /** IPv6 ranges by their first 64 bits (AS allocations are /64 or larger), as 64-bit arrays. */
    private readonly v6Start: BigUint64Array,
    private readonly v6End: BigUint64Array,
    private readonly v6Asn: Uint32Array,
    private readonly v6Org: Uint32Array,
    private readonly orgs: string[],
  ) {}

  /** AS number → its organisation's index in `orgs`, built from the ranges on the first `orgOf`. */
  private byAsn: Map<number, number> | null = null;

  static load(): AsnIndex {
    const require = createRequire(import.meta.url);
    const read = (name: string) => readFileSync(require.resolve(`@ip-location-db/asn/${name}`), 'utf8');
    const orgs: string[] = [];
    const orgIds = new Map<string, number>();
    const orgId = (org: string) => {
      let id = orgIds.get(org);
      if (id === undefined) {
        // A copy, not a slice: V8 keeps a sliced string's whole parent (the 30 MB file) alive.
        id = orgs.push(Buffer.from(org, 'utf8').toString('utf8')) - 1;
        orgIds.set(org, id);
      }
      return id;
    };
    const v4: [number, number, number, number][] = [];
    for (const line of read('asn-ipv4-num.csv').split('\n')) {
      const row = parseLine(line);
      if (row) v4.push([Number(row[0]), Number(row[1]), row[2], orgId(row[3])]);
    }
    const v6: [bigint, bigint, number, number][] = [];
    for (const line of read('asn-ipv6-num.csv').split('\n')) {
      const row = parseLine(line);
      if (row) v6.push([BigInt(row[0]), BigInt(row[1]), row[2], orgId(row[3])]);
    }
    // The files are sorted by start already; sort anyway rather than trust it, since search depends on it.
    v4.sort((x, y) => x[0] - y[0]);
    v6.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    return new AsnIndex(
      Uint32Array.from(v4, (r) => r[0]),
      Uint32Array.from(v4, (r) => r[1]),
      Uint32Array.from(v4, (r) => r[2]),
      Uint32Array.from(v4, (r) => r[3]),
      BigUint64Array.from(v6, (r) => r[0] >> 64n),
      BigUint64Array.from(v6, (r) => r[1] >> 64n),
      Uint32Array.from(v6, (r) => r[2]),
      Uint32Array.from(v6, (r) => r[3]),
      orgs,
    );
  }

  of(numeric: NumericIp): AsnRecord | null {
    return numeric.version === 4 ? this.v4(numeric.value) : this.v6(numeric.value);
  }

  /** The organisation an AS number belongs to (as its ranges name it), or null for an AS no range has. */
  orgOf(asn: number): string | null {
    if (this.byAsn === null) {
      const byAsn = new Map<number, number>();
      for (const [asns, orgs] of [
        [this.v4Asn, this.v4Org],
        [this.v6Asn, this.v6Org],
      ] as const) {
        for (let i = 0; i < asns.length; i++) if (!byAsn.has(asns[i]!)) byAsn.set(asns[i]!, orgs[i]!);
      }
      this.byAsn = byAsn;
    }
    const org = this.byAsn.get(asn);
    return org === undefined ? null : this.orgs[org]!;
  }

  v4(value: number): AsnRecord | null {
    const i = lastAtMost(this.v4Start.length, (k) => this.v4Start[k]! <= value);
    return i >= 0 && this.v4End[i]! >= value ? { asn: this.v4Asn[i]!, org: this.orgs[this.v4Org[i]!]! } : null;
  }

  v6(value: bigint): AsnRecord | null {
    const high = value >> 64n;
    const i = lastAtMost(this.v6Start.length, (k) => this.v6Start[k]! <= high);
    return i >= 0 && this.v6End[i]! >= high ? { asn: this.v6Asn[i]!, org: this.orgs[this.v6Org[i]!]! } : null;
  }
}
