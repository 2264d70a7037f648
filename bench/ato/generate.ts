// A deterministic, labelled, one-year stream of logins for evaluating account-takeover (ato) risk.
//
//   type AttackKind = 'naive' | 'vpn' | 'targeted' | 'very_targeted'
//   type EventKind = 'legit' | AttackKind
//   interface LoginEvent { i: number; ts: string; user: string; ip: string; ua: string }
//   interface EventLabel { i: number; kind: EventKind }
//   interface GenerateOptions { seed: number | string; users?: number; start?: string; days?: number; attacks?: number;
//                               legitPerUser?: number; atlas?: Atlas; uaCatalog?: UaCatalog }
//   function generateStream(options: GenerateOptions): { events: LoginEvent[]; labels: EventLabel[] }
//   function describeStream(stream, atlas): StreamStats
//
// ASSUMPTIONS (copied into the docs; numbers in brackets are the defaults)
//
// What is published and used. The RBA login dataset of Wiefling et al. ("Pump Up Password Security!",
// ACM TOPS 2022; das-group/rba-dataset README and RESULTS): a Norwegian single sign-on service, 3.3 M
// users, 33 M login attempts over a year, features IP/ASN/country and user agent; the figures of login
// volume (login-overview.png) and of re-authentication rates by login frequency (rq1-*.png). The dataset
// itself is not used (not installed); only what the README, the RESULTS page and the figures show.
//  - Volume and shape. [20,000] users, [313,744] legitimate logins (15.69 per user), [25,000] attacks:
//    338,744 events at the defaults. Logins per user are heavy-tailed: 1 + a lognormal (σ = 1.25),
//    rescaled so that the total is exact, capped at two a day: median 7, 90th percentile 35, 99th 124.
//    36 % of users reach 12 logins and 9 % reach 40; by mean gap the five login-frequency classes of
//    rq1-login-frequency.png are all populated (daily 0.2 %, several days 3 %, weekly 7 %, several weeks
//    26 %, less than monthly 64 % of users). The dataset's own per-class counts are not published; this
//    split is ours.
//  - Time. Successful logins per day are flat over the year in login-overview.png (the January and
//    November peaks are failed attempts), so login days are uniform over the year. The hour of day
//    follows the successful-logins curve of the same figure (≈ 6/min at night, rising from 06:00 to a
//    plateau of ≈ 33/min 09:00–19:00, falling to 23:00), read as local time; each country has its own
//    UTC offset, with EU (and US) daylight saving time. Each user's login instants are independent.
//  - Countries. The dataset is Norwegian; RESULTS names MY, PK and US among the countries with enough
//    logins to test. Users: NO 86 %, then SE, US, DK, GB, DE, PL, IN, PK, FI, MY, ES, NL (1.5–0.5 % each).
//  - Networks. The atlas (atlas.ts) sorts every announced IPv4 range by country (DB-IP via intel) and
//    kind: ISP and mobile carrier by organisation name plus a hand-checked list of carriers, business/
//    education for other unlisted ASes, hosting/VPN/relay by what intel's bundled lists say. A user has
//    a home ISP of their country picked by address space; the home address changes when its DHCP lease
//    ends (exponential, with a per-user mean that is lognormal with median [60] days and σ = 1: a quarter
//    of users change every few weeks, others keep an address for months). [40 %] of users also log in
//    from their country's mobile carrier ([15–55 %] of their logins, with a phone) through a CGNAT pool of
//    8 × /22 per carrier, a new address [85 %] of the time (pool addresses are shared between users, as
//    behind real CGNAT). [20 %] also log in from a workplace (1–3 fixed NAT addresses of a business or
//    education AS of their country, weekdays 08–17 local, [30–80 %] of those logins), of which [5 %]
//    egress through a corporate cloud proxy (hosting addresses).
//    Measured on seeds 1 and 2 (describeStream): 39.6 % of legitimate logins come from an IP new to the
//    user (first logins included; the dataset's own figure is not published, 35–40 % was the aim), 9 %
//    from a new ASN, 1.3 % from abroad; intel types 0.25 % of them hosting, 1.6 % VPN (the VPN users)
//    and 1.3 % relay (the Private Relay users).
//  - Devices. 1–3 devices per user (45 / 40 / 15 %), each a user agent drawn by weight from Intoli's
//    user-agents 2.1.198 (user-agents.ts; emulator and bot entries dropped); a mobile-carrier user always
//    has a phone. Browsers update: Chrome/Edge/Firefox majors +1 every 4 weeks, Safari's Version and the
//    iOS version one minor every 8 weeks (so iOS "18_7" reaches "18_13" by December: no major upgrade is
//    modelled), each device 0–21 days after the release (exponential, mean 5); so the exact string
//    changes during the year while family, OS and device do not. [12 %] of devices are replaced once
//    during the year (a new string of the same category). About 46 % of legitimate logins carry a UA
//    string new to the user: no published figure to check this against.
//  - Travel. [10 %] of users make 1–2 trips a year of 3–14 days to another country (weighted toward
//    Norwegian holiday destinations); while away: a local ISP (hotel/café Wi-Fi, kept per trip, new 30 %
//    of the time) 55 %, a local mobile carrier 25 %, and home-routed roaming through their own carrier
//    20 % (users without a mobile carrier: a local one instead). Logins are not moved to or from trips:
//    the ones that fall in them are abroad.
//  - Anonymisers. [3 %] of users run a commercial VPN (one provider, [30–90 %] of their logins; exit in
//    their own country 60 % of the time, else SE/NL/DE/GB/US/CH, and 20 % of logins another exit);
//    [5 %] of users with Safari on an Apple device use iCloud Private Relay on it ([60–100 %] of that
//    device's logins outside the office), egress in their country (or DE/GB/US where Apple has none).
//  - Attacks: [25,000] single login events, a quarter per attacker model. The victim is the user of a
//    legitimate login drawn uniformly (so active users are attacked more), the time uniform between the
//    victim's first legitimate login and the end of the period. The victim's "last login" is the most
//    recent legitimate login at or before that time.
//      naive: a country drawn from common attack origins (US, CN, RU, BR, IN, VN, DE, NL, …), a hosting
//        address there [70 %] (providers weighted by √size) or an ISP address (by size); the attacker's
//        own user agent (drawn like a user's, aged to that date).
//      vpn: a VPN exit in the victim's country (hosting there when no VPN range geolocates there);
//        the attacker's own user agent.
//      targeted: an address in the victim's country, hosting [60 %] else an ISP by size (sometimes the
//        victim's own ISP); the exact user agent of the victim's last login.
//      very_targeted: a different address in the same net (same AS, same country, same kind: home ISP,
//        CGNAT pool, office, VPN, relay) as the victim's last login; its exact user agent.
//    An attacker's "own" user agent is the victim's last one by chance in about 6.5 % of naive and vpn
//    attacks (popular strings are popular); targeted attacks land in the victim's last ASN about 13 % of
//    the time (the big Norwegian ISPs are big).
//  - Every address is checked with intel.ipInfo when drawn (atlas.ts) so its country/AS/type is what the
//    generator meant; scorers must still read ASN and country from intel, never from here.
//  - Determinism: the same seed gives the same stream byte for byte, given the same installed data
//    (@ip-location-db/asn, DB-IP, the IP lists and AS typing of the installed @vigil/intel, and the
//    user-agent file): a change in any of them changes the stream. Every user and every attack draws from
//    its own seeded stream (random.ts), so no Math.random and no iteration-order luck.
//  - The user-agent catalogue is taken as current at the start date: versions age from there.
import { Atlas, LISTED, type Net, type NetKind, type NetWeight } from './atlas.js';
import { Rng, WeightedTable } from './random.js';
import { bumpUserAgent, releasesBetween, UaCatalog, type UaEntry } from './user-agents.js';

export type AttackKind = 'naive' | 'vpn' | 'targeted' | 'very_targeted';
export type EventKind = 'legit' | AttackKind;
export const ATTACK_KINDS: readonly AttackKind[] = ['naive', 'vpn', 'targeted', 'very_targeted'];

export interface LoginEvent {
  i: number;
  ts: string;
  user: string;
  ip: string;
  ua: string;
}

export interface EventLabel {
  i: number;
  kind: EventKind;
}

export interface GenerateOptions {
  seed: number | string;
  users?: number;
  start?: string;
  days?: number;
  attacks?: number;
  /** Mean legitimate logins per user (the total is exactly round(users × this)). */
  legitPerUser?: number;
  /** A built atlas to reuse (building one takes seconds). */
  atlas?: Atlas;
  uaCatalog?: UaCatalog;
}

export interface Stream {
  events: LoginEvent[];
  labels: EventLabel[];
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

// ---------------------------------------------------------------------------------------------------
// Published shapes and our weights.

/** Successful logins per minute by local hour (login-overview.png, middle panel, green). */
const HOURLY = [6.5, 6, 6, 6.5, 7.5, 9.5, 14, 22, 29, 33, 33, 33, 33, 33, 33, 33, 33, 33, 32, 30, 25, 17, 11, 8];

const USER_COUNTRIES: [string, number][] = [
  ['NO', 86],
  ['SE', 1.5],
  ['US', 1.5],
  ['DK', 1.2],
  ['GB', 1.2],
  ['DE', 1],
  ['PL', 1.5],
  ['IN', 1],
  ['PK', 0.8],
  ['FI', 0.8],
  ['MY', 0.6],
  ['ES', 0.6],
  ['NL', 0.6],
];

/** Where people travel (Norwegian holiday and business destinations first). */
const TRAVEL: [string, number][] = [
  ['ES', 15],
  ['SE', 10],
  ['DK', 8],
  ['GB', 8],
  ['DE', 8],
  ['US', 6],
  ['FR', 6],
  ['IT', 6],
  ['GR', 5],
  ['NO', 5],
  ['PL', 4],
  ['TH', 4],
  ['HR', 4],
  ['PT', 4],
  ['NL', 4],
  ['TR', 3],
  ['FI', 3],
];

/** Where credential-stuffing and takeover traffic comes from (a common ranking of attack sources). */
const ATTACK_ORIGINS: [string, number][] = [
  ['US', 20],
  ['CN', 10],
  ['RU', 8],
  ['BR', 6],
  ['IN', 6],
  ['VN', 5],
  ['DE', 5],
  ['NL', 5],
  ['FR', 4],
  ['GB', 4],
  ['ID', 3],
  ['UA', 3],
  ['KR', 3],
  ['SG', 2],
  ['HK', 2],
  ['JP', 2],
  ['TR', 2],
  ['RO', 2],
  ['PL', 2],
  ['TH', 2],
  ['CA', 2],
  ['IR', 1],
  ['PK', 1],
  ['NG', 1],
  ['EG', 1],
  ['BD', 1],
  ['AR', 1],
  ['MX', 1],
  ['IT', 1],
  ['ES', 1],
  ['SE', 1],
  ['NO', 0.5],
];

const VPN_EXITS = ['SE', 'NL', 'DE', 'GB', 'US', 'CH'];
const RELAY_FALLBACK = ['DE', 'GB', 'US'];

/** Standard-time UTC offsets (hours) and the daylight-saving rule each country follows. */
const ZONES: Record<string, { offset: number; dst: 'eu' | 'us' | null }> = {
  NO: { offset: 1, dst: 'eu' },
  SE: { offset: 1, dst: 'eu' },
  DK: { offset: 1, dst: 'eu' },
  DE: { offset: 1, dst: 'eu' },
  PL: { offset: 1, dst: 'eu' },
  NL: { offset: 1, dst: 'eu' },
  ES: { offset: 1, dst: 'eu' },
  FR: { offset: 1, dst: 'eu' },
  IT: { offset: 1, dst: 'eu' },
  HR: { offset: 1, dst: 'eu' },
  FI: { offset: 2, dst: 'eu' },
  GR: { offset: 2, dst: 'eu' },
  GB: { offset: 0, dst: 'eu' },
  PT: { offset: 0, dst: 'eu' },
  US: { offset: -6, dst: 'us' },
  TR: { offset: 3, dst: null },
  PK: { offset: 5, dst: null },
  IN: { offset: 5.5, dst: null },
  TH: { offset: 7, dst: null },
  MY: { offset: 8, dst: null },
};

// Behaviour rates (see the assumptions above).
const P_MOBILE_USER = 0.4;
const P_WORK_USER = 0.2;
const P_WORK_CLOUD_PROXY = 0.05;
const P_TRAVELLER = 0.1;
const P_VPN_USER = 0.03;
const P_RELAY_APPLE_USER = 0.05;
const P_DEVICE_REPLACED = 0.12;
const P_MOBILE_NEW_IP = 0.85;
const LEASE_MEDIAN_DAYS = 60;
const LEASE_SIGMA = 1.0;
const COUNT_SIGMA = 1.25;
const P_NAIVE_HOSTING = 0.7;
const P_TARGETED_HOSTING = 0.6;

// ---------------------------------------------------------------------------------------------------
// Time.

/** Last Sunday of a month (UTC date), at 01:00 UTC: when EU clocks change. */
function lastSunday(year: number, month: number): number {
  const d = new Date(Date.UTC(year, month + 1, 0, 1));
  d.setUTCDate(d.getUTCDate() - d.getUTCDay());
  return d.getTime();
}

/** The n-th Sunday of a month at 08:00 UTC (02:00 US Central): when US clocks change. */
function nthSunday(year: number, month: number, n: number): number {
  const d = new Date(Date.UTC(year, month, 1, 8));
  d.setUTCDate(1 + ((7 - d.getUTCDay()) % 7) + 7 * (n - 1));
  return d.getTime();
}

/** Hours to add to UTC for local time in a country at an instant (UTC+1 where unknown). */
function utcOffset(country: string, ms: number): number {
  const zone = ZONES[country] ?? { offset: 1, dst: 'eu' as const };
  if (!zone.dst) return zone.offset;
  const year = new Date(ms).getUTCFullYear();
  const summer = zone.dst === 'eu' ? ms >= lastSunday(year, 2) && ms < lastSunday(year, 9) : ms >= nthSunday(year, 2, 2) && ms < nthSunday(year, 10, 1);
  return zone.offset + (summer ? 1 : 0);
}

const hourTable = new WeightedTable(
  HOURLY.map((w, h) => ({ h, w })),
  (x) => x.w,
);

/** A login instant on a day (0-based from `startMs`) at a local hour drawn from the published curve. */
function loginInstant(rng: Rng, startMs: number, day: number, country: string): number {
  const localMs = hourTable.sample(rng).h * HOUR_MS + Math.floor(rng.float() * HOUR_MS);
  const approx = startMs + day * DAY_MS + localMs;
  return approx - Math.round(utcOffset(country, approx) * HOUR_MS);
}

function localHourAndWeekday(ms: number, country: string): { hour: number; weekday: number } {
  const local = new Date(ms + utcOffset(country, ms) * HOUR_MS);
  return { hour: local.getUTCHours(), weekday: local.getUTCDay() };
}

// ---------------------------------------------------------------------------------------------------
// Users.

interface Device {
  entry: UaEntry;
  lagDays: number;
  /** A new device of the same kind from this instant (null: kept all year). */
  replacement: { at: number; entry: UaEntry } | null;
  /** iCloud Private Relay on this device: share of its logins outside the office. */
  relayShare: number;
}

interface Trip {
  from: number;
  to: number;
  country: string;
  lodging: { net: Net; ip: string } | null;
}

interface User {
  id: string;
  country: string;
  count: number;
  rng: Rng;
  homeNet: Net;
  homeIp: string;
  homeUntil: number;
  leaseMeanMs: number;
  mobile: { net: Net; share: number; lastIp: string | null } | null;
  work: { addresses: { net: Net; ip: string }[]; share: number } | null;
  vpn: { asn: number; share: number; exit: string } | null;
  devices: Device[];
  trips: Trip[];
}

/** One generated login of a user, kept for the attacks that copy it. */
interface LegitLogin {
  ms: number;
  ip: string;
  ua: string;
  net: Net;
}

interface Draft {
  ms: number;
  user: string;
  ip: string;
  ua: string;
  kind: EventKind;
}

class Generator {
  private readonly startMs: number;
  private readonly endMs: number;

  constructor(
    private readonly atlas: Atlas,
    private readonly catalog: UaCatalog,
    private readonly root: Rng,
    start: string,
    private readonly days: number,
  ) {
    this.startMs = Date.parse(start);
    this.endMs = this.startMs + days * DAY_MS;
  }

  /** Logins per user: 1 + lognormal, scaled so that the total is exactly `total`, at most two a day. */
  loginCounts(users: number, total: number): number[] {
    const rng = this.root.fork('counts');
    const cap = 2 * this.days;
    const mean = total / users;
    const mu = Math.log(Math.max(mean - 1, 0.5)) - (COUNT_SIGMA * COUNT_SIGMA) / 2;
    const raw = Array.from({ length: users }, () => Math.min(cap, 1 + rng.lognormal(mu, COUNT_SIGMA)));
    const sum = raw.reduce((s, x) => s + x, 0);
    const counts = raw.map((x) => Math.min(cap, Math.max(1, Math.floor((x * total) / sum))));
    let diff = total - counts.reduce((s, x) => s + x, 0);
    const table = new WeightedTable(
      raw.map((x, i) => ({ i, x })),
      (r) => r.x,
    );
    for (let guard = 0; diff !== 0 && guard < 10 * users + Math.abs(diff) * 10; guard++) {
      const { i } = table.sample(rng);
      if (diff > 0 && counts[i]! < cap) {
        counts[i]!++;
        diff--;
      } else if (diff < 0 && counts[i]! > 1) {
        counts[i]!--;
        diff++;
      }
    }
    return counts;
  }

  makeUser(n: number, count: number): User {
    const rng = this.root.fork(`user/${n}`);
    const country = rng.weighted(USER_COUNTRIES, ([, w]) => w)[0];
    // A home ISP that does give addresses (a few ASes' ranges geolocate mostly elsewhere).
    const home = this.placed(rng, country, 'isp', 'size') ?? this.placed(rng, 'NO', 'isp', 'size');
    if (!home) throw new Error('the atlas has no usable ISP in Norway');
    const homeNet = home.net;
    const user: User = {
      id: `u${String(n).padStart(5, '0')}`,
      country,
      count,
      rng,
      homeNet,
      homeIp: home.ip,
      homeUntil: Number.NEGATIVE_INFINITY,
      leaseMeanMs: rng.lognormal(Math.log(LEASE_MEDIAN_DAYS), LEASE_SIGMA) * DAY_MS,
      mobile: null,
      work: null,
      vpn: null,
      devices: [],
      trips: [],
    };
    const mobile = rng.chance(P_MOBILE_USER) ? this.placed(rng, country, 'mobile', 'size') : null;
    if (mobile) user.mobile = { net: mobile.net, share: 0.15 + 0.4 * rng.float(), lastIp: mobile.ip };
    if (rng.chance(P_WORK_USER)) {
      const cloud = rng.chance(P_WORK_CLOUD_PROXY);
      const first = cloud ? (this.placed(rng, country, 'hosting', 'size') ?? this.placed(rng, 'US', 'hosting', 'size')) : this.placed(rng, country, 'business', 'sqrt');
      const addresses: { net: Net; ip: string }[] = first ? [first] : [];
      const k = rng.int(1, 3);
      for (let j = 1; first && j < k; j++) {
        const ip = this.atlas.sampleIp(rng, first.net);
        if (ip) addresses.push({ net: first.net, ip });
      }
      if (addresses.length > 0) user.work = { addresses, share: 0.3 + 0.5 * rng.float() };
    }
    if (rng.chance(P_VPN_USER)) {
      const exit = this.atlas.netsOf(country, 'vpn').length > 0 && rng.chance(0.6) ? country : rng.pick(VPN_EXITS);
      const vpn = this.placed(rng, exit, 'vpn', 'size');
      if (vpn) user.vpn = { asn: vpn.net.asn, share: 0.3 + 0.6 * rng.float(), exit };
    }
    // Devices drawn from the whole mix; a phone added for mobile-carrier users who drew none.
    const deviceCount = rng.weighted([1, 2, 3], (d) => [45, 40, 15][d - 1]!);
    for (let d = 0; d < deviceCount; d++) user.devices.push(this.makeDevice(rng, undefined));
    if (user.mobile && !user.devices.some((d) => d.entry.category === 'mobile')) user.devices.push(this.makeDevice(rng, 'mobile'));
    const apple = user.devices.filter((d) => d.entry.appleSafari);
    if (apple.length > 0 && rng.chance(P_RELAY_APPLE_USER)) rng.pick(apple).relayShare = 0.6 + 0.4 * rng.float();
    if (rng.chance(P_TRAVELLER)) {
      const trips = rng.chance(0.6) ? 1 : 2;
      for (let t = 0; t < trips; t++) {
        let dest = rng.weighted(TRAVEL, ([, w]) => w)[0];
        if (dest === country) dest = country === 'ES' ? 'PT' : 'ES';
        const from = this.startMs + rng.float() * (this.days - 3) * DAY_MS;
        user.trips.push({ from, to: from + rng.int(3, 14) * DAY_MS, country: dest, lodging: null });
      }
    }
    return user;
  }

  private makeDevice(rng: Rng, category: UaEntry['category'] | undefined): Device {
    const entry = this.catalog.pick(rng, category);
    const replaced = rng.chance(P_DEVICE_REPLACED);
    return {
      entry,
      lagDays: Math.min(21, rng.exponential(5)),
      replacement: replaced ? { at: this.startMs + rng.float() * this.days * DAY_MS, entry: this.catalog.pick(rng, entry.category) } : null,
      relayShare: 0,
    };
  }

  /** A device's exact user agent at an instant: the string in use, aged by the releases it installed since. */
  private uaAt(device: Device, ms: number): string {
    const current = device.replacement && ms >= device.replacement.at ? device.replacement : { at: this.startMs, entry: device.entry };
    return bumpUserAgent(current.entry.ua, releasesBetween(current.at, ms, this.startMs, device.lagDays));
  }

  /** An attacker's own user agent: drawn like a user's, aged to the attack's date. */
  attackerUa(rng: Rng, ms: number): string {
    return bumpUserAgent(this.catalog.pick(rng).ua, releasesBetween(this.startMs, ms, this.startMs, rng.float() * 21));
  }

  /** Login instants of a user, sorted; an instant that local time pushes outside the period is drawn again. */
  loginTimes(user: User): number[] {
    const times: number[] = [];
    while (times.length < user.count) {
      const ms = loginInstant(user.rng, this.startMs, Math.floor(user.rng.float() * this.days), user.country);
      if (ms >= this.startMs && ms < this.endMs) times.push(ms);
    }
    return times.sort((a, b) => a - b);
  }

  private pickDevice(user: User, prefer: UaEntry['category'] | null): Device {
    const rng = user.rng;
    if (prefer) {
      const matching = user.devices.filter((d) => d.entry.category === prefer);
      if (matching.length > 0) return rng.pick(matching);
    }
    return rng.weighted(user.devices, (d) => [3, 2, 1, 1][user.devices.indexOf(d)] ?? 1);
  }

  /** A net of a kind in a country and an address in it, trying other nets when one gives none. */
  private placed(rng: Rng, country: string, kind: NetKind, weight: NetWeight): { net: Net; ip: string } | null {
    for (let attempt = 0; attempt < 10; attempt++) {
      const got = this.sample(rng, this.atlas.pickNet(rng, country, kind, weight));
      if (got) return got;
    }
    return null;
  }

  private sample(rng: Rng, net: Net | null): { net: Net; ip: string } | null {
    if (!net) return null;
    const ip = this.atlas.sampleIp(rng, net);
    return ip ? { net, ip } : null;
  }

  /** The home address, renewed when its lease has run out. */
  private home(user: User, ms: number): { net: Net; ip: string } {
    if (ms >= user.homeUntil) {
      // The first home login keeps the address drawn with the ISP; later ones renew it when the lease ends.
      if (user.homeUntil !== Number.NEGATIVE_INFINITY) user.homeIp = this.atlas.sampleIp(user.rng, user.homeNet) ?? user.homeIp;
      user.homeUntil = ms + user.rng.exponential(user.leaseMeanMs);
    }
    return { net: user.homeNet, ip: user.homeIp };
  }

  private mobileAddress(user: User): { net: Net; ip: string } | null {
    const m = user.mobile;
    if (!m) return null;
    if (m.lastIp === null || user.rng.chance(P_MOBILE_NEW_IP)) {
      const ip = this.atlas.sampleIp(user.rng, m.net);
      if (ip) m.lastIp = ip;
    }
    return m.lastIp ? { net: m.net, ip: m.lastIp } : null;
  }

  /** Where and on what a user logs in at an instant. */
  legitLogin(user: User, ms: number): LegitLogin {
    const rng = user.rng;
    let where: { net: Net; ip: string } | null = null;
    let device: Device | null = null;
    let office = false;
    const trip = user.trips.find((t) => ms >= t.from && ms < t.to);
    if (trip) {
      const r = rng.float();
      if (r < 0.2 && user.mobile) {
        device = this.pickDevice(user, 'mobile');
        where = this.mobileAddress(user); // home-routed roaming
      } else if (r < 0.45) {
        device = this.pickDevice(user, 'mobile');
        where = this.placed(rng, trip.country, 'mobile', 'size');
      }
      if (!where) {
        if (!trip.lodging || rng.chance(0.3)) trip.lodging = this.placed(rng, trip.country, 'isp', 'size') ?? trip.lodging;
        where = trip.lodging;
      }
    } else if (user.vpn && rng.chance(user.vpn.share)) {
      const exit = rng.chance(0.8) ? user.vpn.exit : rng.pick(VPN_EXITS);
      const vpnAsn = user.vpn.asn;
      const nets = this.atlas.netsOf(exit, 'vpn');
      const own = nets.filter((n) => n.asn === vpnAsn);
      where = this.sample(rng, own.length > 0 ? rng.pick(own) : nets.length > 0 ? rng.weighted(nets, (n) => n.size) : null);
      device = this.pickDevice(user, 'desktop');
    } else {
      const { hour, weekday } = localHourAndWeekday(ms, user.country);
      if (user.work && weekday >= 1 && weekday <= 5 && hour >= 8 && hour < 17 && rng.chance(user.work.share)) {
        where = rng.pick(user.work.addresses);
        device = this.pickDevice(user, 'desktop');
        office = true;
      } else if (user.mobile && rng.chance(user.mobile.share)) {
        where = this.mobileAddress(user);
        device = this.pickDevice(user, 'mobile');
      }
    }
    if (!where) where = this.home(user, ms);
    if (!device) device = this.pickDevice(user, null);
    // iCloud Private Relay covers Safari on any network but the office (where admins usually block it).
    if (device.relayShare > 0 && !office && where.net.kind !== 'vpn' && rng.chance(device.relayShare)) {
      const relayCountry = this.atlas.netsOf(user.country, 'relay').length > 0 ? user.country : rng.pick(RELAY_FALLBACK);
      where = this.sample(rng, this.atlas.pickNet(rng, relayCountry, 'relay', 'size')) ?? where;
    }
    return { ms, ip: where.ip, ua: this.uaAt(device, ms), net: where.net };
  }

  /** One attack of a kind on a victim at an instant, given the victim's last legitimate login. */
  attack(rng: Rng, kind: AttackKind, victimCountry: string, last: LegitLogin, ms: number): { ip: string; ua: string } {
    const own = () => this.attackerUa(rng, ms);
    switch (kind) {
      case 'naive': {
        for (let attempt = 0; attempt < 10; attempt++) {
          const country = rng.weighted(ATTACK_ORIGINS, ([, w]) => w)[0];
          const net = rng.chance(P_NAIVE_HOSTING) ? this.atlas.pickNet(rng, country, 'hosting', 'sqrt') : this.atlas.pickNet(rng, country, 'isp', 'size');
          const got = this.sample(rng, net);
          if (got) return { ip: got.ip, ua: own() };
        }
        break;
      }
      case 'vpn': {
        const vpn = this.atlas.netsOf(victimCountry, 'vpn');
        for (let attempt = 0; attempt < 10; attempt++) {
          const net = vpn.length > 0 ? rng.weighted(vpn, (n) => n.size) : this.atlas.pickNet(rng, victimCountry, 'hosting', 'sqrt');
          const got = this.sample(rng, net);
          if (got) return { ip: got.ip, ua: own() };
        }
        break;
      }
      case 'targeted': {
        for (let attempt = 0; attempt < 10; attempt++) {
          const hosting = this.atlas.netsOf(victimCountry, 'hosting').length > 0 && rng.chance(P_TARGETED_HOSTING);
          const net = hosting ? this.atlas.pickNet(rng, victimCountry, 'hosting', 'sqrt') : this.atlas.pickNet(rng, victimCountry, 'isp', 'size');
          const got = this.sample(rng, net);
          if (got) return { ip: got.ip, ua: last.ua };
        }
        break;
      }
      case 'very_targeted': {
        const ip = this.atlas.sampleIp(rng, last.net, last.ip);
        if (ip) return { ip, ua: last.ua };
        // A net too small or too listed to give another address: any other net of the same AS and country.
        const same = this.atlas.nets.filter((n) => n.asn === last.net.asn && n.country === last.net.country && n.id !== last.net.id);
        for (const net of same) {
          const other = this.atlas.sampleIp(rng, net, last.ip);
          if (other) return { ip: other, ua: last.ua };
        }
        break;
      }
    }
    throw new Error(`could not place a ${kind} attack (victim in ${victimCountry})`);
  }

  run(users: number, legitTotal: number, attacks: number): Stream {
    const counts = this.loginCounts(users, legitTotal);
    const drafts: Draft[] = [];
    const histories: LegitLogin[][] = [];
    const userObjs: User[] = [];
    for (let n = 0; n < users; n++) {
      const user = this.makeUser(n, counts[n]!);
      userObjs.push(user);
      const history: LegitLogin[] = [];
      for (const ms of this.loginTimes(user)) {
        const login = this.legitLogin(user, ms);
        history.push(login);
        drafts.push({ ms, user: user.id, ip: login.ip, ua: login.ua, kind: 'legit' });
      }
      histories.push(history);
    }
    // Victims: the users of legitimate logins drawn uniformly.
    const owners: number[] = [];
    histories.forEach((h, n) => {
      for (let k = 0; k < h.length; k++) owners.push(n);
    });
    const rng = this.root.fork('attacks');
    for (let a = 0; a < attacks; a++) {
      const kind = ATTACK_KINDS[Math.floor((a * ATTACK_KINDS.length) / attacks)]!;
      const arng = rng.fork(a);
      const n = owners[Math.floor(arng.float() * owners.length)]!;
      const history = histories[n]!;
      const first = history[0]!.ms;
      const ms = Math.min(this.endMs - 1, first + 1 + Math.floor(arng.float() * (this.endMs - first - 1)));
      const last = lastAtOrBefore(history, ms);
      const { ip, ua } = this.attack(arng, kind, userObjs[n]!.country, last, ms);
      drafts.push({ ms, user: userObjs[n]!.id, ip, ua, kind });
    }
    // Sorted by time; ties keep generation order (legitimate logins first), so "the victim's last login"
    // is the last legitimate one before the attack in the stream too.
    const order = drafts.map((_, k) => k).sort((x, y) => drafts[x]!.ms - drafts[y]!.ms || x - y);
    const events: LoginEvent[] = [];
    const labels: EventLabel[] = [];
    order.forEach((k, i) => {
      const d = drafts[k]!;
      events.push({ i, ts: new Date(d.ms).toISOString(), user: d.user, ip: d.ip, ua: d.ua });
      labels.push({ i, kind: d.kind });
    });
    return { events, labels };
  }
}

function lastAtOrBefore(history: LegitLogin[], ms: number): LegitLogin {
  let lo = 0;
  let hi = history.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (history[mid]!.ms <= ms) lo = mid;
    else hi = mid - 1;
  }
  return history[lo]!;
}

/** The evaluation stream for a seed (see the assumptions at the top of this file). */
export function generateStream(options: GenerateOptions): Stream {
  const users = options.users ?? 20_000;
  const days = options.days ?? 365;
  const attacks = options.attacks ?? 25_000;
  const legitPerUser = options.legitPerUser ?? 313_744 / 20_000;
  const atlas = options.atlas ?? Atlas.build();
  const catalog = options.uaCatalog ?? UaCatalog.load();
  const generator = new Generator(atlas, catalog, new Rng(`ato/${options.seed}`), options.start ?? '2026-01-01T00:00:00Z', days);
  return generator.run(users, Math.round(users * legitPerUser), attacks);
}

// ---------------------------------------------------------------------------------------------------
// What a stream looks like, through intel's eyes.

export interface StreamStats {
  events: number;
  byKind: Record<EventKind, number>;
  users: number;
  usersWith12: number;
  usersWith40: number;
  maxLegitPerUser: number;
  /** Legitimate logins from an address the user had not used before (first logins included). */
  legitNewIpShare: number;
  legitNewAsnShare: number;
  legitNewUaShare: number;
  legitAbroadShare: number;
  /** Per kind: share of events whose address intel types hosting, and any listed type (hosting, vpn, relay, tor, proxy, crawler). */
  hostingShare: Record<EventKind, number>;
  listedShare: Record<EventKind, number>;
  vpnShare: Record<EventKind, number>;
  relayShare: Record<EventKind, number>;
  /** Attacks whose address is in the country of the victim's last legitimate login. */
  attackSameCountryShare: Record<EventKind, number>;
  attackSameAsnShare: Record<EventKind, number>;
  attackSameUaShare: Record<EventKind, number>;
}

export function describeStream(stream: Stream, atlas: Atlas): StreamStats {
  const kinds: EventKind[] = ['legit', ...ATTACK_KINDS];
  const zero = () => Object.fromEntries(kinds.map((k) => [k, 0])) as Record<EventKind, number>;
  const byKind = zero();
  const hosting = zero();
  const listed = zero();
  const vpn = zero();
  const relay = zero();
  const sameCountry = zero();
  const sameAsn = zero();
  const sameUa = zero();
  const seen = new Map<
    string,
    { ips: Set<string>; asns: Set<number | null>; uas: Set<string>; legit: number; last: { country: string | null; asn: number | null; ua: string } | null; home: string | null }
  >();
  let newIp = 0;
  let newAsn = 0;
  let newUa = 0;
  let abroad = 0;
  for (const e of stream.events) {
    const kind = stream.labels[e.i]!.kind;
    byKind[kind]++;
    const info = atlas.describe(e.ip);
    const type = info?.type ?? 'unknown';
    if (type === 'hosting') hosting[kind]++;
    if (type === 'vpn') vpn[kind]++;
    if (type === 'relay') relay[kind]++;
    if (LISTED.has(type)) listed[kind]++;
    let u = seen.get(e.user);
    if (!u) {
      u = { ips: new Set(), asns: new Set(), uas: new Set(), legit: 0, last: null, home: info?.country ?? null };
      seen.set(e.user, u);
    }
    if (kind === 'legit') {
      if (!u.ips.has(e.ip)) newIp++;
      if (!u.asns.has(info?.asn ?? null)) newAsn++;
      if (!u.uas.has(e.ua)) newUa++;
      if (u.home !== null && info?.country !== u.home) abroad++;
      u.ips.add(e.ip);
      u.asns.add(info?.asn ?? null);
      u.uas.add(e.ua);
      u.legit++;
      u.last = { country: info?.country ?? null, asn: info?.asn ?? null, ua: e.ua };
    } else if (u.last) {
      if (info?.country === u.last.country) sameCountry[kind]++;
      if (info?.asn === u.last.asn) sameAsn[kind]++;
      if (e.ua === u.last.ua) sameUa[kind]++;
    }
  }
  const share = (num: Record<EventKind, number>) => Object.fromEntries(kinds.map((k) => [k, byKind[k] > 0 ? num[k] / byKind[k] : 0])) as Record<EventKind, number>;
  const legitCounts = [...seen.values()].map((u) => u.legit);
  return {
    events: stream.events.length,
    byKind,
    users: seen.size,
    usersWith12: legitCounts.filter((c) => c >= 12).length,
    usersWith40: legitCounts.filter((c) => c >= 40).length,
    maxLegitPerUser: Math.max(0, ...legitCounts),
    legitNewIpShare: newIp / Math.max(1, byKind.legit),
    legitNewAsnShare: newAsn / Math.max(1, byKind.legit),
    legitNewUaShare: newUa / Math.max(1, byKind.legit),
    legitAbroadShare: abroad / Math.max(1, byKind.legit),
    hostingShare: share(hosting),
    listedShare: share(listed),
    vpnShare: share(vpn),
    relayShare: share(relay),
    attackSameCountryShare: share(sameCountry),
    attackSameAsnShare: share(sameAsn),
    attackSameUaShare: share(sameUa),
  };
}
