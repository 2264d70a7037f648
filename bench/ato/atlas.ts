// The network atlas: which autonomous systems of which country a synthetic login can come from, built at
// run time from data already on disk (never the internet, nothing cached):
//
//   type NetKind = 'isp' | 'mobile' | 'business' | 'hosting' | 'vpn' | 'relay'
//   interface Net { id; kind; asn; org; country; size; weight; starts; ends; cumulative }
//   class Atlas {
//     static build(options?: { intel?: Intel; now?: number }): Atlas
//     readonly intel: Intel; readonly now: number; readonly nets: readonly Net[]
//     netsOf(country: string, kind: NetKind): readonly Net[]
//     countriesWith(kind: NetKind): string[]
//     pickNet(rng: Rng, country: string, kind: NetKind, weight?: NetWeight): Net | null
//     sampleIp(rng: Rng, net: Net, avoid?: string): string | null   // verified with intel.ipInfo
//     fits(ip: string, net: Net): boolean                             // intel's view matches the net
//     describe(ip: string): IpInfo | null                             // intel.ipInfo, memoised
//     summary(): AtlasSummary
//   }
//   const LISTED: ReadonlySet<string>   // intel types that mean server or anonymiser
//   function ipv4ToString(n: number): string;  function ipv4ToNumber(ip: string): number | null
//
// Sources:
//  - node_modules/@ip-location-db/asn/asn-ipv4-num.csv (RouteViews + DB-IP, CC BY 4.0): every announced
//    IPv4 range with its AS number and organisation. Each range is placed in a country (DB-IP, through
//    intel's geolocation) and typed by what intel's bundled lists say of one address in it (four for a /16
//    or larger, which may span countries).
//  - the IP lists bundled with @vigil/intel (packages/intel/data): X4BNet's VPN list and ProtonVPN's exits
//    (type 'vpn'), Apple's iCloud Private Relay egress ranges (type 'relay'), each geolocated the same way.
//
// Kinds. Nothing in the data says "consumer access network", so org names decide, with a list of the
// carriers of the countries where the synthetic users live (see MOBILE_ASNS) because in Norway, Sweden
// and Denmark the mobile networks are announced by the same ASes as the fixed ones (Telenor, Telia, …):
//  - isp: unlisted ranges of an AS whose organisation looks like a telecom/broadband/cable operator;
//    a country where no name matches falls back to its three largest unlisted ASes.
//  - mobile: a carrier's CGNAT pool. Mobile addresses are few and shared by many subscribers, so each
//    carrier gets up to MOBILE_BLOCKS /22 blocks of its unlisted space: consecutive logins of one phone
//    get different addresses, and different phones meet on the same ones, as behind a real CGNAT.
//  - business: any other unlisted AS (companies, universities, public bodies) of at least a /24.
//  - hosting: ranges the bundled lists call hosting (cloud and datacenter providers), by (AS, country).
//  - vpn: ranges of the VPN lists, by (AS, country) of the geolocated exit.
//  - relay: iCloud Private Relay egress ranges, by (AS, country).
// Every sampled address is checked again with intel.ipInfo (country, AS and type as intended) so that the
// generator never claims something the scorer's view of the address contradicts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { bundledDataDir, Intel, type IpInfo } from '@vigil/intel';
import { Rng } from './random.js';

export type NetKind = 'isp' | 'mobile' | 'business' | 'hosting' | 'vpn' | 'relay';
/** How pickNet weighs nets: by address space, by its square root (more variety), or equally. */
export type NetWeight = 'size' | 'sqrt' | 'equal';

export interface Net {
  id: number;
  kind: NetKind;
  asn: number;
  org: string;
  country: string;
  /** Addresses in the net's ranges. */
  size: number;
  /** How much of the country's traffic it carries, for pickNet 'size': its size, or for a mobile pool the carrier's whole unlisted space. */
  weight: number;
  /** Inclusive numeric IPv4 ranges, and the running total of their sizes (for uniform sampling). */
  starts: number[];
  ends: number[];
  cumulative: number[];
}

export interface AtlasSummary {
  buildMs: number;
  ranges: number;
  countries: number;
  nets: Record<NetKind, number>;
}

// Organisation names of consumer access providers in the countries the data covers (case-insensitive).
const ISP_NAME =
  /\btele(?!vision)|tel\b|telecom|telekom|telia|chinanet|unicom|vnpt|viettel|claro|vimpelcom|\bmts\b|megafon|rostelecom|telenor|tdc\b|comcast|charter|cox comm|verizon|at&t|centurylink|frontier|windstream|spectrum|broadband|bredb[aå]nd|breiband|bredband|cable|kabel|fib(er|re|ra)|\bdsl|vodafone|orange|\bsky\b|talktalk|virgin|\bbt\b|british telecommunications|zen internet|plusnet|netcologne|m-net|versatel|ewe tel|\bnetia|vectra|multimedia polska|\binea\b|toya|upc|liberty|ziggo|kpn|proximus|swisscom|free sas|sfr|bouygues|telefonica|movistar|\btim\b|fastweb|wind tre|iliad|bharti|airtel|jio|bsnl|bharat sanchar|hathway|\bact\b|mahanagar|\bptcl\b|pakistan telecom|nayatel|wateen|cyber internet|\btm\b|tm technology|maxis|celcom|\bdigi\b|time dotcom|tt dotcom|unifi|nextgentel|altibox|lyse|bahnhof|bredband2|com hem|stofa|norlys|fibia|hiper|waoo|\bisp\b|internet service|communications|telecom|telekom|networks? ltd|\bnet\b|online|wifi|wireless|mobile/i;
// Names that are not consumer access networks even when a word above matches: hosting and cloud
// providers (never anyone's home or office), and education, government, health and finance (offices).
const HOSTING_NAME =
  /amazon|microsoft|google|oracle|alibaba|tencent|akamai|cloudflare|fastly|hosting|host|cloud|data ?cent|server|vps|colo|hetzner|ovh|digitalocean|linode|vultr|leaseweb|m247|datacamp/i;
const OFFICE_NAME =
  /level 3|cogent|gtt comm|hurricane electric|zayo|arelion|telia carrier|ntt america|pccw|universit|college|school|academ|research|forskning|ministry|department|government|defen[cs]e|county|kommune|municipal|region |hospital|health|helse|bank|insurance|ericsson|business|enterprise services|consult/i;
// Elsewhere (where MOBILE_ASNS has no entry), carriers by name; IoT and in-flight "mobile" networks are not phones.
const MOBILE_NAME = /mobile|wireless|cellular|\bgsm\b|\blte\b|hutchison|hi3g|t-mobile|vodafone|jio|airtel/i;
const NOT_MOBILE_NAME = /exxon|iot|wireless logic|sierra|giesecke|aeromobile|kore wireless|telit|sony|shopee|onmobile/i;
/**
 * The mobile carriers of the users' home countries and of common travel destinations, by AS number
 * (checked against the CSV's organisation names). Most announce their mobile customers from the same
 * AS as their fixed ones, so no name says "mobile": Telenor Norge and Telia Norge; Telia, Tele2, Telenor
 * and Tre in Sweden; TDC, Telenor and 3 in Denmark; and so on.
 */
const MOBILE_ASNS: Record<string, number[]> = {
  NO: [2119, 25400],
  SE: [3301, 1257, 8434, 44034],
  DK: [3292, 9158, 44034],
  FI: [16086, 1759],
  GB: [5378, 35228, 206067],
  DE: [3320, 3209, 6805],
  NL: [1136, 33915, 50266],
  FR: [3215, 15557, 5410, 51207],
  ES: [3352, 12479, 12430],
  PT: [3243, 12353, 2860],
  IT: [3269, 30722, 1267],
  GR: [6799, 3329, 25472],
  HR: [5391, 29485],
  TR: [16135, 15924, 9121],
  PL: [5617, 12912, 9141, 8374],
  US: [7018, 22394, 21928, 20057],
  CA: [812, 577, 852],
  AU: [1221, 4804],
  TH: [133481, 131445, 24378],
  IN: [55836, 45609, 24560, 38266],
  PK: [45669, 59257, 24499],
  MY: [4818, 10030, 9534, 38466],
};
/** What a list calls a server or an anonymiser: never a home, a phone or an office. */
export const LISTED: ReadonlySet<string> = new Set(['hosting', 'vpn', 'relay', 'tor', 'proxy', 'crawler']);
/** /22 blocks per carrier's CGNAT pool. */
const MOBILE_BLOCKS = 8;
const MOBILE_BLOCK_SIZE = 1024;

export function ipv4ToString(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export function ipv4ToNumber(ip: string): number | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    const v = Number(p);
    if (!Number.isInteger(v) || v < 0 || v > 255) return null;
    n = n * 256 + v;
  }
  return n;
}

/** One `start,end,asn,org` line (org possibly quoted), the organisation read only when asked for. */
function parseAsnLine(line: string): { start: number; end: number; asn: number; org: () => string } | null {
  const a = line.indexOf(',');
  const b = line.indexOf(',', a + 1);
  const c = line.indexOf(',', b + 1);
  if (a < 0 || b < 0 || c < 0) return null;
  const start = Number(line.slice(0, a));
  const end = Number(line.slice(a + 1, b));
  const asn = Number(line.slice(b + 1, c));
  const org = () => {
    const raw = line.slice(c + 1);
    return raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1).replaceAll('""', '"') : raw;
  };
  return Number.isInteger(start) && Number.isInteger(end) && Number.isInteger(asn) ? { start, end, asn, org } : null;
}

/** A list file's IPv4 CIDRs as numeric ranges. */
function readCidrs(file: string): [number, number][] {
  const out: [number, number][] = [];
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(raw.trim());
    if (!m) continue;
    const start = ipv4ToNumber(m[1]!);
    const bits = Number(m[2]);
    if (start === null || bits < 8 || bits > 32) continue;
    out.push([start, start + 2 ** (32 - bits) - 1]);
  }
  return out;
}

/** Ranges gathered for one (kind, AS, country) before they become a Net. */
interface Bucket {
  kind: NetKind;
  asn: number;
  org: string;
  country: string;
  ranges: [number, number][];
  size: number;
  weight?: number;
}

/** Per (AS, country): unlisted space (candidate isp/mobile/business) and hosting space. */
interface AsCountry {
  asn: number;
  org: string;
  country: string;
  unlisted: [number, number][];
  unlistedSize: number;
  listedSize: number;
  hosting: [number, number][];
  hostingSize: number;
}

export class Atlas {
  private readonly byKey = new Map<string, Net[]>();
  private readonly memo = new Map<string, IpInfo | null>();

  private constructor(
    readonly intel: Intel,
    readonly now: number,
    readonly nets: readonly Net[],
    private readonly stats: AtlasSummary,
  ) {
    for (const net of nets) {
      const key = `${net.country}|${net.kind}`;
      const list = this.byKey.get(key);
      if (list) list.push(net);
      else this.byKey.set(key, [net]);
    }
  }

  static build(options: { intel?: Intel; now?: number } = {}): Atlas {
    const t0 = Date.now();
    const intel = options.intel ?? Intel.load();
    const now = options.now ?? Date.parse('2026-07-01T00:00:00Z');
    const require = createRequire(import.meta.url);
    const csv = readFileSync(require.resolve('@ip-location-db/asn/asn-ipv4-num.csv'), 'utf8');

    const perAs = new Map<string, AsCountry>();
    let ranges = 0;
    for (const line of csv.split('\n')) {
      const row = parseAsnLine(line);
      if (!row || row.asn === 0) continue;
      ranges++;
      const size = row.end - row.start + 1;
      // A /16 or larger may be split between countries and lists: look at four points, give each a quarter.
      const parts = size >= 65_536 ? 4 : 1;
      const step = Math.floor(size / parts);
      for (let p = 0; p < parts; p++) {
        const start = row.start + p * step;
        const end = p === parts - 1 ? row.end : start + step - 1;
        const info = describeFast(intel, start + Math.floor((end - start) / 2), now);
        if (!info.country) continue;
        const key = `${row.asn}|${info.country}`;
        let g = perAs.get(key);
        if (!g) {
          g = { asn: row.asn, org: row.org(), country: info.country, unlisted: [], unlistedSize: 0, listedSize: 0, hosting: [], hostingSize: 0 };
          perAs.set(key, g);
        }
        const n = end - start + 1;
        if (!LISTED.has(info.type)) {
          g.unlisted.push([start, end]);
          g.unlistedSize += n;
        } else {
          g.listedSize += n;
          if (info.type === 'hosting') {
            g.hosting.push([start, end]);
            g.hostingSize += n;
          }
        }
      }
    }

    const buckets: Bucket[] = [];
    const ispByCountry = new Map<string, number>();
    const rng = new Rng('vigil-ato-atlas');
    for (const g of perAs.values()) {
      if (g.hostingSize > 0) buckets.push({ kind: 'hosting', asn: g.asn, org: g.org, country: g.country, ranges: g.hosting, size: g.hostingSize });
      // Mostly-listed ASes (clouds, VPN hosters) are never anyone's home or office network.
      if (g.unlistedSize < 256 || g.listedSize > 0.1 * (g.unlistedSize + g.listedSize)) continue;
      const curated = MOBILE_ASNS[g.country];
      const known = curated?.includes(g.asn) ?? false;
      const mobile = curated ? known : MOBILE_NAME.test(g.org) && !NOT_MOBILE_NAME.test(g.org) && !HOSTING_NAME.test(g.org) && g.unlistedSize >= 4096;
      const isp = known || (ISP_NAME.test(g.org) && !HOSTING_NAME.test(g.org) && !OFFICE_NAME.test(g.org));
      if (isp) {
        buckets.push({ kind: 'isp', asn: g.asn, org: g.org, country: g.country, ranges: g.unlisted, size: g.unlistedSize });
        ispByCountry.set(g.country, (ispByCountry.get(g.country) ?? 0) + 1);
      } else if (!mobile && !HOSTING_NAME.test(g.org)) {
        buckets.push({ kind: 'business', asn: g.asn, org: g.org, country: g.country, ranges: g.unlisted, size: g.unlistedSize });
      }
      if (mobile) {
        const pool = mobilePool(rng.fork(`${g.asn}|${g.country}`), g.unlisted, g.unlistedSize);
        buckets.push({ kind: 'mobile', asn: g.asn, org: g.org, country: g.country, ranges: pool, size: pool.reduce((s, [a, b]) => s + b - a + 1, 0), weight: g.unlistedSize });
      }
    }
    // Countries where no organisation name looked like an access provider: their three largest unlisted ASes.
    const unlistedByCountry = new Map<string, AsCountry[]>();
    for (const g of perAs.values()) {
      if (g.unlistedSize < 256 || g.listedSize > 0.1 * (g.unlistedSize + g.listedSize)) continue;
      const list = unlistedByCountry.get(g.country);
      if (list) list.push(g);
      else unlistedByCountry.set(g.country, [g]);
    }
    for (const [country, list] of unlistedByCountry) {
      if (ispByCountry.has(country)) continue;
      list.sort((a, b) => b.unlistedSize - a.unlistedSize || a.asn - b.asn);
      for (const g of list.slice(0, 3)) buckets.push({ kind: 'isp', asn: g.asn, org: g.org, country, ranges: g.unlisted, size: g.unlistedSize });
    }

    // The VPN and relay lists, each range placed by its geolocated middle.
    const listed: [NetKind, string][] = [
      ['vpn', 'ip/x4bnet/output_vpn_ipv4.txt'],
      ['vpn', 'ip/ipranges/protonvpn/ipv4_merged.txt'],
      ['relay', 'ip/ipranges/apple-proxy/ipv4_merged.txt'],
    ];
    const listBuckets = new Map<string, Bucket>();
    for (const [kind, file] of listed) {
      for (const [start, end] of readCidrs(join(bundledDataDir, file))) {
        const info = describeFast(intel, start + Math.floor((end - start) / 2), now);
        // X4BNet's VPN list also holds the relay ranges; intel calls those relay, and so does the atlas.
        if (!info.country || info.asn === null || info.type !== kind) continue;
        const key = `${kind}|${info.asn}|${info.country}`;
        let b = listBuckets.get(key);
        if (!b) {
          b = { kind, asn: info.asn, org: info.org, country: info.country, ranges: [], size: 0 };
          listBuckets.set(key, b);
        }
        b.ranges.push([start, end]);
        b.size += end - start + 1;
      }
    }
    buckets.push(...listBuckets.values());

    // A stable order (the CSV's and the lists' order is not a contract): by kind, country, AS.
    buckets.sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.country < b.country ? -1 : a.country > b.country ? 1 : a.asn - b.asn));
    const nets: Net[] = buckets.map((b, id) => {
      const sorted = [...b.ranges].sort((x, y) => x[0] - y[0]);
      const cumulative: number[] = [];
      let total = 0;
      for (const [s, e] of sorted) {
        total += e - s + 1;
        cumulative.push(total);
      }
      return {
        id,
        kind: b.kind,
        asn: b.asn,
        org: b.org,
        country: b.country,
        size: total,
        weight: b.weight ?? total,
        starts: sorted.map((r) => r[0]),
        ends: sorted.map((r) => r[1]),
        cumulative,
      };
    });
    const count = (k: NetKind) => nets.filter((n) => n.kind === k).length;
    const summary: AtlasSummary = {
      buildMs: Date.now() - t0,
      ranges,
      countries: new Set(nets.map((n) => n.country)).size,
      nets: { isp: count('isp'), mobile: count('mobile'), business: count('business'), hosting: count('hosting'), vpn: count('vpn'), relay: count('relay') },
    };
    return new Atlas(intel, now, nets, summary);
  }

  summary(): AtlasSummary {
    return this.stats;
  }

  netsOf(country: string, kind: NetKind): readonly Net[] {
    return this.byKey.get(`${country}|${kind}`) ?? [];
  }

  countriesWith(kind: NetKind): string[] {
    return [...new Set(this.nets.filter((n) => n.kind === kind).map((n) => n.country))].sort();
  }

  pickNet(rng: Rng, country: string, kind: NetKind, weight: NetWeight = 'size'): Net | null {
    const nets = this.netsOf(country, kind);
    if (nets.length === 0) return null;
    return rng.weighted(nets, (n) => (weight === 'size' ? n.weight : weight === 'sqrt' ? Math.sqrt(n.weight) : 1));
  }

  /** What intel says of an address (memoised: the generator asks about the same addresses again and again). */
  describe(ip: string): IpInfo | null {
    let info = this.memo.get(ip);
    if (info === undefined) {
      info = this.intel.ipInfo(ip, this.now);
      this.memo.set(ip, info);
    }
    return info;
  }

  /**
   * A random address of the net that intel places in the net's country and AS and types as the net's kind
   * (isp, mobile and business: on no list). Null after 40 misses (a net whose ranges the lists cover).
   * `avoid`: an address not to return (a very targeted attacker's address must differ from the victim's).
   */
  sampleIp(rng: Rng, net: Net, avoid?: string): string | null {
    for (let attempt = 0; attempt < 40; attempt++) {
      const r = Math.floor(rng.float() * net.size);
      let lo = 0;
      let hi = net.cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (net.cumulative[mid]! > r) hi = mid;
        else lo = mid + 1;
      }
      const before = lo === 0 ? 0 : net.cumulative[lo - 1]!;
      const n = net.starts[lo]! + (r - before);
      // Network and broadcast-looking addresses (.0, .255) are avoided: real clients rarely have them.
      const last = n & 255;
      if (last === 0 || last === 255) continue;
      const ip = ipv4ToString(n);
      if (ip === avoid) continue;
      if (this.fits(ip, net)) return ip;
    }
    return null;
  }

  /** Whether intel's view of the address is the net's country, AS and kind (isp, mobile, business: on no server/anonymiser list). */
  fits(ip: string, net: Net): boolean {
    const info = this.describe(ip);
    if (!info || info.country !== net.country || info.asn !== net.asn) return false;
    switch (net.kind) {
      case 'isp':
      case 'mobile':
      case 'business':
        return !LISTED.has(info.type);
      default:
        return info.type === net.kind;
    }
  }
}

/**
 * Country, AS and what the bundled lists alone say of one address, from intel's parts (about 30 times
 * faster than ipInfo, which the build would call half a million times). ipInfo may add the AS's own type
 * to an address no list names; the lists' verdict is what the atlas sorts ranges by, and every address
 * the generator uses is checked with the full ipInfo anyway (Atlas.fits).
 */
function describeFast(intel: Intel, value: number, now: number): { country: string | null; asn: number | null; org: string; type: string } {
  const numeric = { version: 4 as const, value };
  const place = intel.geo.placeOf(numeric);
  const as = intel.asn.v4(value);
  // The address's spelling only comes back in the answer, which is not kept: no need to build it.
  const lists = intel.ip.lookupResolved({ address: '', range: 'public', numeric }, now);
  return { country: place?.country ?? null, asn: as?.asn ?? null, org: as?.org ?? '', type: lists.type };
}

/** Up to MOBILE_BLOCKS /22 blocks of a carrier's unlisted ranges, chosen by size (its CGNAT pool). */
function mobilePool(rng: Rng, ranges: [number, number][], total: number): [number, number][] {
  if (total <= MOBILE_BLOCKS * MOBILE_BLOCK_SIZE) return ranges;
  const blocks: [number, number][] = [];
  const taken = new Set<number>();
  for (let attempt = 0; attempt < MOBILE_BLOCKS * 4 && blocks.length < MOBILE_BLOCKS; attempt++) {
    const [s, e] = rng.weighted(ranges, ([a, b]) => b - a + 1);
    const size = e - s + 1;
    if (size < MOBILE_BLOCK_SIZE) {
      if (!taken.has(s)) blocks.push([s, e]);
      taken.add(s);
      continue;
    }
    const offset = Math.floor(rng.float() * Math.floor(size / MOBILE_BLOCK_SIZE)) * MOBILE_BLOCK_SIZE;
    const start = s + offset;
    if (taken.has(start)) continue;
    taken.add(start);
    blocks.push([start, start + MOBILE_BLOCK_SIZE - 1]);
  }
  return blocks;
}
