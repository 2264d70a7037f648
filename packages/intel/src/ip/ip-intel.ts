import { readFileSync } from 'node:fs';
import type { IpType } from '@vigil/core';
import { ReferenceFiles } from '../data/reference-files.js';
import { toNumeric, toRange } from './address.js';
import type { AsnType } from './asn-type.js';
import { ListIndex } from './list-index.js';
import { type IpListSource, ipListSources } from './lists.js';
import { type ResolvedIp, resolveIp } from './resolve.js';

const DAY_MS = 86_400_000;

// When an address is in several lists, the type shown is the most telling one.
const priority: readonly IpType[] = ['tor', 'relay', 'vpn', 'proxy', 'crawler', 'hosting'];

/** AS types that say "people, not servers": an older hosting list yields to them. */
const accessTypes: ReadonlySet<AsnType | null> = new Set<AsnType | null>(['isp', 'mobile', 'education']);

/** What the address's autonomous system is (asn-type.ts), and the date of the data that says so. */
export interface AsnVerdict {
  type: AsnType | null;
  /** The ASN data's snapshot, in ms: a hosting list older than it yields to an access-network AS. */
  snapshotAt: number;
}

export interface IpLookup {
  /** The address in its one canonical spelling. */
  address: string;
  /** public, private, loopback or reserved. */
  range: 'public' | 'private' | 'loopback' | 'reserved';
  type: IpType;
  /** Every type some list gave it; where no list names it, the type its AS gave it. */
  types: IpType[];
  /** The lists that named it (`tor_exits`, `x4bnet_vpn`, `amazon`, …). */
  sources: string[];
  /**
   * Hosting lists that named it but were overruled: older than the ASN data, about an address whose AS is
   * an ISP, a mobile carrier or a university (ipcat's 2023 ranges include Reliance Jio, BSNL, Comcast, BT).
   */
  overruled: string[];
  /** Days since the snapshot of the oldest list that named it, or of the oldest list when none did. */
  listAgeDays: number;
}

export interface IpListInfo {
  name: string;
  type: IpType;
  snapshot: string;
  upstream: string;
  ranges: number;
}

function parseLines(text: string, format: IpListSource['format']): { v4: [number, number][]; v6: [bigint, bigint][] } {
  const v4: [number, number][] = [];
  const v6: [bigint, bigint][] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (format === 'ipcat_csv') {
      const [first, last] = line.split(',');
      const a = first ? toNumeric(first) : null;
      const b = last ? toNumeric(last) : null;
      if (a?.version === 4 && b?.version === 4) v4.push([a.value, b.value]);
      continue;
    }
    const range = toRange(line);
    if (range?.version === 4) v4.push([range.start, range.end]);
    else if (range?.version === 6) v6.push([range.start, range.end]);
  }
  return { v4, v6 };
}

/** The IP lists, loaded once into one index; lookups are pure and fast. */
export class IpIntel {
  private readonly relayBits: number;
  private readonly hostingBits: number;
  /** The hosting lists older than the ASN data last asked about (the ASN data is one snapshot: one entry). */
  private olderHosting = { snapshotAt: Number.NaN, bits: 0 };

  private constructor(
    private readonly lists: { source: IpListSource; ranges: number; snapshotAt: number }[],
    private readonly index: ListIndex,
  ) {
    this.relayBits = lists.reduce((mask, l, bit) => (l.source.type === 'relay' ? mask | (1 << bit) : mask), 0);
    this.hostingBits = lists.reduce((mask, l, bit) => (l.source.type === 'hosting' ? mask | (1 << bit) : mask), 0);
  }

  /** Reads every list: the updated copy where `vigil data update` fetched one, else the bundled snapshot. */
  static load(files: ReferenceFiles = ReferenceFiles.at(null), sources: readonly IpListSource[] = ipListSources): IpIntel {
    const parsed = sources.map((source) => {
      const v4: [number, number][] = [];
      const v6: [bigint, bigint][] = [];
      for (const file of source.files) {
        const lines = parseLines(readFileSync(files.path(source.name, file), 'utf8'), source.format);
        v4.push(...lines.v4);
        v6.push(...lines.v6);
      }
      return { source, v4, v6 };
    });
    return new IpIntel(
      parsed.map(({ source, v4, v6 }) => {
        const snapshot = files.snapshot(source.name, source.snapshot);
        return { source: { ...source, snapshot }, ranges: v4.length + v6.length, snapshotAt: Date.parse(`${snapshot}T00:00:00Z`) };
      }),
      ListIndex.build(parsed),
    );
  }

  info(): IpListInfo[] {
    return this.lists.map(({ source, ranges }) => ({ name: source.name, type: source.type, snapshot: source.snapshot, upstream: source.upstream, ranges }));
  }

  /** What the lists say of an address as of `now`; null when it is not an address. */
  lookup(ip: string, now: number): IpLookup | null {
    const resolved = resolveIp(ip);
    return resolved ? this.lookupResolved(resolved, now) : null;
  }

  /**
   * The same, for an address already parsed (so that geolocation and ASN need not parse it again). With
   * `as`, what its autonomous system is:
   * - a hosting list older than the ASN data is overruled where the AS is an ISP, a mobile carrier or a
   *   university, unless a fresher hosting list names the address too (the fresher lists, and every tor,
   *   relay, VPN, proxy and crawler list, are never overruled);
   * - an address no list names takes its AS's type (`hosting`, `isp`, `mobile`, `education`, `business`).
   */
  lookupResolved({ address, range, numeric }: ResolvedIp, now: number, as: AsnVerdict | null = null): IpLookup {
    // A private, loopback or reserved address says nothing about a network (and some published lists
    // include documentation ranges by mistake: Vultr's has 192.0.2.0/24).
    let mask = range !== 'public' ? 0 : numeric.version === 4 ? this.index.v4(numeric.value) : this.index.v6(numeric.value);
    // iCloud Private Relay egresses through Cloudflare, Akamai and Fastly, and X4BNet's VPN and datacenter
    // lists contain all of it: for a relay address, every other list describes the relay, not the user.
    if (mask & this.relayBits) mask &= this.relayBits;
    // An older hosting list yields to an access-network AS, unless a fresher hosting list says the same.
    const older = mask !== 0 && as !== null && accessTypes.has(as.type) ? this.hostingOlderThan(as.snapshotAt) : 0;
    const overruledMask = older !== 0 && (mask & this.hostingBits & ~older) === 0 ? mask & older : 0;
    mask &= ~overruledMask;
    const overruled: string[] = [];
    if (overruledMask !== 0) {
      this.lists.forEach((l, bit) => {
        if (overruledMask & (1 << bit)) overruled.push(l.source.name);
      });
    }
    const sources: string[] = [];
    const found = new Set<IpType>();
    let oldest = Number.POSITIVE_INFINITY;
    this.lists.forEach((l, bit) => {
      if (mask & (1 << bit)) {
        sources.push(l.source.name);
        found.add(l.source.type);
        oldest = Math.min(oldest, l.snapshotAt);
      }
    });
    if (sources.length === 0) for (const l of this.lists) oldest = Math.min(oldest, l.snapshotAt);
    const types = priority.filter((t) => found.has(t));
    // No list names it: its AS's type where the AS tells (a hosting AS is hosting; an ISP's, a carrier's
    // or a university's address is people), else unknown.
    if (types.length === 0 && range === 'public' && as?.type) types.push(as.type);
    return {
      address,
      range,
      type: types[0] ?? 'unknown',
      types,
      sources,
      overruled,
      listAgeDays: Math.max(0, Math.floor((now - oldest) / DAY_MS)),
    };
  }

  /** The bits of the hosting lists whose snapshot is older than `snapshotAt`. */
  private hostingOlderThan(snapshotAt: number): number {
    if (this.olderHosting.snapshotAt !== snapshotAt) {
      const bits = this.lists.reduce((m, l, bit) => (l.source.type === 'hosting' && l.snapshotAt < snapshotAt ? m | (1 << bit) : m), 0);
      this.olderHosting = { snapshotAt, bits };
    }
    return this.olderHosting.bits;
  }
}
