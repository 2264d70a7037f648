import type { Facts } from '@vigil/core';
import { LRUCache } from 'lru-cache';
import { ReferenceFiles } from './data/reference-files.js';
import { type EmailFacts, EmailIntel } from './email/email-intel.js';
import { classifyPhone } from './phone/classify.js';
import { classifyUserAgent, type UserAgentFacts, type UserAgentHints } from './user-agent/classify.js';
import { AsnIndex } from './ip/asn.js';
import { type AsnType, AsnTypes } from './ip/asn-type.js';
import { Geolocation, type Place } from './ip/geolocation.js';
import { IpIntel, type IpLookup } from './ip/ip-intel.js';
import { resolveIp } from './ip/resolve.js';

/** IPs, user agents and emails, remembered by default (about a kilobyte each; a few at most, for a long user agent). */
export const DEFAULT_CACHE_SIZE = 10_000;

/** What an evaluation brings for intel to look at. */
export interface FactsQuery {
  ip: string | null;
  email?: string | null;
  phone?: string | null;
  userAgent?: string | null;
  hints?: UserAgentHints;
}

/** Everything intel knows about one IP: the lists, and the place. */
export interface IpInfo extends IpLookup {
  asn: number | null;
  as_org: string | null;
  /** What kind of network the AS is (hosting, isp, mobile, education, business); null: cannot tell. */
  asn_type: AsnType | null;
  country: string | null;
  /** city when DB-IP knew the city, country when only the country (its centroid). */
  precision: 'city' | 'country' | null;
  latitude: number | null;
  longitude: number | null;
  accuracy_km: number | null;
}

/**
 * The reference data, loaded once, and the facts it gives an evaluation: what is not known stays null
 * (its checks absent, never guessed). Mail-exchanger lookups are not made (no DNS in the decision path).
 */
export class Intel {
  private constructor(
    readonly ip: IpIntel,
    readonly geo: Geolocation,
    readonly asn: AsnIndex,
    readonly email: EmailIntel,
    readonly asnTypes: AsnTypes,
    private readonly cacheSize: number,
  ) {
    this.asnSnapshotAt = Date.parse(`${asnTypes.snapshot}T00:00:00Z`);
    // 0 remembers nothing (lru-cache needs a positive bound).
    this.ipCache = cacheSize > 0 ? new LRUCache({ max: cacheSize }) : null;
    this.userAgentCache = cacheSize > 0 ? new LRUCache({ max: cacheSize }) : null;
    this.emailCache = cacheSize > 0 ? new LRUCache({ max: cacheSize }) : null;
  }

  private readonly asnSnapshotAt: number;
  /**
   * What was found for recent IPs and user agents. Traffic repeats both heavily (a user's IP across their
   * logins, a few hundred browser versions across all users), and each look-up is a parse, several range
   * searches and dozens of regexes. Bounded (least recently used goes first); a reload starts empty.
   */
  private readonly ipCache: LRUCache<string, { day: number; described: { info: IpInfo; place: Place | null } | null }> | null;
  private readonly userAgentCache: LRUCache<string, UserAgentFacts> | null;
  /**
   * What the lists say of recent emails: a user's email comes back with each of their logins, and its
   * syntax check (validator.js) and registrable domain (tldts) were 1.5 % of a warm evaluation's CPU.
   */
  private readonly emailCache: LRUCache<string, EmailFacts> | null;

  /**
   * `referenceDir`: where `vigil data update` keeps refreshed lists (none: the bundled snapshot only).
   * `cacheSize`: how many IPs, and how many user agents, are remembered (VIGIL_INTEL_CACHE_SIZE).
   */
  static load(options: { referenceDir?: string | null; cacheSize?: number } = {}): Intel {
    const files = ReferenceFiles.at(options.referenceDir ?? null);
    return new Intel(IpIntel.load(files), Geolocation.load(), AsnIndex.load(), EmailIntel.load(files), AsnTypes.load(), options.cacheSize ?? DEFAULT_CACHE_SIZE);
  }

  /** A copy with the lists read again (after `vigil data update`); the large read-only parts are shared. */
  reloadLists(referenceDir: string | null): Intel {
    const files = ReferenceFiles.at(referenceDir);
    return new Intel(IpIntel.load(files), this.geo, this.asn, EmailIntel.load(files), this.asnTypes, this.cacheSize);
  }

  /** Every reference list, with its age as of `now`: what the operator must know to trust a verdict. */
  referenceData(now: number): { name: string; kind: 'ip' | 'email' | 'geolocation'; type: string; snapshot: string; age_days: number; entries: number }[] {
    const age = (snapshot: string) => Math.max(0, Math.floor((now - Date.parse(`${snapshot}T00:00:00Z`)) / 86_400_000));
    const geoSnapshot = new Date(this.geo.builtAt).toISOString().slice(0, 10);
    return [
      ...this.ip.info().map((l) => ({ name: l.name, kind: 'ip' as const, type: l.type, snapshot: l.snapshot, age_days: age(l.snapshot), entries: l.ranges })),
      ...this.email.info().map((l) => ({ name: l.name, kind: 'email' as const, type: l.name, snapshot: l.snapshot, age_days: age(l.snapshot), entries: l.entries })),
      { name: 'dbip_city', kind: 'geolocation' as const, type: 'place', snapshot: geoSnapshot, age_days: age(geoSnapshot), entries: this.geo.ranges },
      // The AS types (asn-type.ts): curated and X4BNet-listed ASes, over the ASN data of this snapshot.
      { name: 'asn_types', kind: 'ip' as const, type: 'asn_type', snapshot: this.asnTypes.snapshot, age_days: age(this.asnTypes.snapshot), entries: this.asnTypes.listed },
    ];
  }

  ipInfo(ip: string, now: number): IpInfo | null {
    return this.describeIp(ip, now)?.info ?? null;
  }

  /** `describeIp`, remembered for the day: a list's age (in the answer) is counted in days. */
  private describeIpCached(ip: string, now: number): { info: IpInfo; place: Place | null } | null {
    const day = Math.floor(now / 86_400_000);
    if (this.ipCache === null) return this.describeIp(ip, now);
    const kept = this.ipCache.get(ip);
    if (kept !== undefined && kept.day === day) return kept.described;
    // Shared by every evaluation from this IP today: frozen, so none can change another's.
    const described = deepFreeze(this.describeIp(ip, now));
    this.ipCache.set(ip, { day, described });
    return described;
  }

  private classifyUserAgentCached(userAgent: string, hints: UserAgentHints | undefined): UserAgentFacts {
    return remembered(this.userAgentCache, `${hints?.touchPoints ?? ''}|${hints?.mobile ?? ''}|${userAgent}`, () => classifyUserAgent(userAgent, hints));
  }

  private classifyEmailCached(email: string): EmailFacts {
    return remembered(this.emailCache, email, () => this.email.classify(email));
  }

  /** The lists, the AS and the place of an address, parsed once for all three. */
  private describeIp(ip: string, now: number): { info: IpInfo; place: Place | null } | null {
    const resolved = resolveIp(ip);
    if (!resolved) return null;
    const isPublic = resolved.range === 'public';
    const place = isPublic ? this.geo.placeOf(resolved.numeric) : null;
    const as = isPublic ? this.asn.of(resolved.numeric) : null;
    const asnType = as ? this.asnTypes.of(as.asn, as.org) : null;
    // The lists and the AS together: an older hosting list yields to an access-network AS, and an address
    // no list names takes its AS's type (ip-intel.ts).
    const lists = this.ip.lookupResolved(resolved, now, as ? { type: asnType, snapshotAt: this.asnSnapshotAt } : null);
    // Named, not spread with more properties: on Node 20's V8 that builds a hidden class per object.
    const info: IpInfo = {
      address: lists.address,
      range: lists.range,
      type: lists.type,
      types: lists.types,
      sources: lists.sources,
      overruled: lists.overruled,
      listAgeDays: lists.listAgeDays,
      asn: as?.asn ?? null,
      as_org: as?.org ?? null,
      asn_type: asnType,
      country: place?.country ?? null,
      precision: place?.location?.precision ?? null,
      latitude: place?.location?.latitude ?? null,
      longitude: place?.location?.longitude ?? null,
      accuracy_km: place?.location?.accuracyKm ?? null,
    };
    return { info, place };
  }

  facts(query: FactsQuery, now: number): { facts: Facts; ipInfo: IpInfo | null } {
    const described = query.ip ? this.describeIpCached(query.ip, now) : null;
    const info = described?.info ?? null;
    return {
      ipInfo: info,
      facts: {
        ip: info ? { type: info.type, types: info.types, asn: info.asn, country: info.country, location: described?.place?.location ?? null, listAgeDays: info.listAgeDays } : null,
        email: query.email ? emailFactsOf(this.classifyEmailCached(query.email)) : null,
        phone: query.phone ? classifyPhone(query.phone) : null,
        userAgent: query.userAgent ? this.classifyUserAgentCached(query.userAgent, query.hints) : null,
      },
    };
  }
}

/**
 * The email's facts as an evaluation takes them (DNS and the SMTP probe not asked yet), named rather than
 * spread with two more properties: on Node 20's V8 such a spread builds a new hidden class for each object
 * (the server's docs/architecture.md, "Object spreads").
 */
function emailFactsOf(classified: EmailFacts): NonNullable<Facts['email']> {
  const { valid, domain, disposable, webmail } = classified;
  return { valid, domain, disposable, webmail, hasMailExchanger: null, acceptAll: null };
}

/** What `make` gives for `key`, kept in `cache` (none: made each time) and frozen, since every caller shares it. */
function remembered<T extends object>(cache: LRUCache<string, T> | null, key: string, make: () => T): T {
  if (cache === null) return make();
  let value = cache.get(key);
  if (value === undefined) {
    value = deepFreeze(make());
    cache.set(key, value);
  }
  return value;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
