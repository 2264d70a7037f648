// Baseline: the risk model of Freeman et al. (NDSS 2016) as Wiefling et al. implement it for their
// Norwegian SSO study (das-group/rba-algorithm, the code behind "Pump Up Password Security!", TOPS 2022).
//
//   const FREEMAN_WEIGHTS: { ip: {...}; ua: {...} }          (freeman_reference_scores.json)
//   interface FreemanLogin { user: string; ip: string; ua: string }
//   interface FreemanFeatures { ip; asn; country; ua; browser; os; device }
//   function uaFeatures(ua: string): { browser: string; os: string; device: string }
//   class FreemanScorer {
//     constructor(options?: { describeIp?: (ip) => { asn; country } | null; intel?: Intel; firstLoginScore?: number })
//     features(login): FreemanFeatures; score(login): number; add(login): void; scoreAndAdd(login): number }
//   function scoreFreeman(events: readonly FreemanLogin[], options?): number[]
//
// The model, for a login x of user u (Freeman et al. eq. 7, "without attack data"):
//   risk = Π_F [ p(x_F) / p(x_F | u) ] · p(u | attack) / p(u | legit)
// over the features F = IP (sub-features IP 0.6, ASN 0.3, country 0.1) and UA (UA string 0.5387, browser
// name+version 0.2680, OS name+version 0.1882, device type 0.0051). Each p is a weighted sum over the
// sub-features, with these parts (N logins and U users in the global history, n_u logins of u):
//  - p(x_F | u) = Σ_k w_k · c_u(x_k) / n_u, no smoothing. When it is 0 (nothing of the value in u's history)
//    it is set to p(x_F) / 4, as the reference does, so a login unlike anything of the user scores ×4 there.
//  - p(x_F) = w_0 · s(x_0) + Σ_{k≥1} w_k · C(x_k) / N. For the full value x_0 (the IP, the UA string) the
//    reference smooths: s = max(C, 1) / (N + unseen) · A / (A + k), with unseen = 1 + the number of
//    distinct values of the coarser sub-features seen globally (ASNs + countries, or browsers + OSes +
//    devices), A the value's count and k = 1 + the number of coarser sub-features (3 for IP, 4 for UA).
//    The reference counts A over the whole dataset, future rows included; streaming, A is C + 1 (the
//    earlier logins and this one). That is the one deliberate departure.
//  - p(u | attack) = 1 / U (no attack data: every user equally likely to be attacked); p(u | legit) = n_u / N.
// Streaming: each login is scored against the logins before it (all of them: a scorer in production does
// not know which were attacks), then added to the history. A user's first login has nothing to compare
// with (n_u = 0; the reference skips it): it gets `firstLoginScore`, 0 by default, i.e. never challenged,
// which is what leaving it out of the re-authentication counts amounts to.
// Feature values: ASN and country from intel.ipInfo (unknown: the string "null", one value like any
// other); browser and OS names and the device class from classifyUserAgent of @vigil/intel, with the
// versions (browser: up to three components, like the dataset's "Chrome 70.0.3538"; OS: as parsed) from
// ua-parser-js, the parser classifyUserAgent itself uses.
import { classifyUserAgent, Intel } from '@vigil/intel';
import { UAParser } from 'ua-parser-js';

export const FREEMAN_WEIGHTS = {
  ip: { ip: 0.6, asn: 0.3, country: 0.1 },
  ua: { ua: 0.5386653840551359, browser: 0.2680451498625666, os: 0.18818295100109536, device: 0.0051065150812021525 },
} as const;

export interface FreemanLogin {
  user: string;
  ip: string;
  ua: string;
}

export interface FreemanFeatures {
  ip: string;
  asn: string;
  country: string;
  ua: string;
  browser: string;
  os: string;
  device: string;
}

export interface FreemanOptions {
  /** ASN and country of an address (default: intel.ipInfo of `intel`, or of a freshly loaded Intel). */
  describeIp?: (ip: string) => { asn: number | null; country: string | null } | null;
  intel?: Intel;
  /** Score of a user's first login (default 0: never challenged). */
  firstLoginScore?: number;
}

type Sub = keyof FreemanFeatures;
const IP_SUBS: readonly Sub[] = ['ip', 'asn', 'country'];
const UA_SUBS: readonly Sub[] = ['ua', 'browser', 'os', 'device'];
const IP_W = [FREEMAN_WEIGHTS.ip.ip, FREEMAN_WEIGHTS.ip.asn, FREEMAN_WEIGHTS.ip.country];
const UA_W = [FREEMAN_WEIGHTS.ua.ua, FREEMAN_WEIGHTS.ua.browser, FREEMAN_WEIGHTS.ua.os, FREEMAN_WEIGHTS.ua.device];
const ALL_SUBS: readonly Sub[] = [...IP_SUBS, ...UA_SUBS];

const uaCache = new Map<string, { browser: string; os: string; device: string }>();

/** Browser name+version, OS name+version and device class of a user agent (memoised). */
export function uaFeatures(ua: string): { browser: string; os: string; device: string } {
  let f = uaCache.get(ua);
  if (!f) {
    const facts = classifyUserAgent(ua);
    const parsed = new UAParser(ua).getResult();
    const browserVersion = (parsed.browser.version ?? '').split('.').slice(0, 3).join('.');
    f = {
      browser: `${facts.browser ?? 'null'} ${browserVersion}`.trim(),
      os: `${facts.os ?? 'null'} ${parsed.os.version ?? ''}`.trim(),
      device: facts.deviceClass,
    };
    uaCache.set(ua, f);
  }
  return f;
}

/** Occurrence counts of each sub-feature's values. */
class Counts {
  readonly maps: Record<Sub, Map<string, number>> = {
    ip: new Map(),
    asn: new Map(),
    country: new Map(),
    ua: new Map(),
    browser: new Map(),
    os: new Map(),
    device: new Map(),
  };
  n = 0;

  get(sub: Sub, value: string): number {
    return this.maps[sub].get(value) ?? 0;
  }

  add(f: FreemanFeatures): void {
    for (const sub of ALL_SUBS) this.maps[sub].set(f[sub], (this.maps[sub].get(f[sub]) ?? 0) + 1);
    this.n++;
  }
}

export class FreemanScorer {
  private readonly global = new Counts();
  private readonly perUser = new Map<string, Counts>();
  private readonly ipMemo = new Map<string, { asn: string; country: string }>();
  private readonly describeIp: (ip: string) => { asn: number | null; country: string | null } | null;
  private readonly firstLoginScore: number;

  constructor(options: FreemanOptions = {}) {
    if (options.describeIp) this.describeIp = options.describeIp;
    else {
      const intel = options.intel ?? Intel.load();
      // The instant only sets the lists' age, which no feature reads: a fixed one keeps runs identical.
      const now = Date.parse('2026-07-01T00:00:00Z');
      this.describeIp = (ip) => intel.ipInfo(ip, now);
    }
    this.firstLoginScore = options.firstLoginScore ?? 0;
  }

  features(login: FreemanLogin): FreemanFeatures {
    let place = this.ipMemo.get(login.ip);
    if (!place) {
      const info = this.describeIp(login.ip);
      place = { asn: String(info?.asn ?? null), country: String(info?.country ?? null) };
      this.ipMemo.set(login.ip, place);
    }
    return { ip: login.ip, asn: place.asn, country: place.country, ua: login.ua, ...uaFeatures(login.ua) };
  }

  /** The risk of a login against the history so far (the history is not changed). */
  score(login: FreemanLogin): number {
    return this.scoreFeatures(login.user, this.features(login));
  }

  add(login: FreemanLogin): void {
    this.addFeatures(login.user, this.features(login));
  }

  scoreAndAdd(login: FreemanLogin): number {
    const f = this.features(login);
    const s = this.scoreFeatures(login.user, f);
    this.addFeatures(login.user, f);
    return s;
  }

  private addFeatures(user: string, f: FreemanFeatures): void {
    this.global.add(f);
    let u = this.perUser.get(user);
    if (!u) {
      u = new Counts();
      this.perUser.set(user, u);
    }
    u.add(f);
  }

  private scoreFeatures(user: string, f: FreemanFeatures): number {
    const u = this.perUser.get(user);
    if (!u || u.n === 0) return this.firstLoginScore;
    const g = this.global;
    let risk = 1;
    for (const [subs, weights] of [
      [IP_SUBS, IP_W],
      [UA_SUBS, UA_W],
    ] as const) {
      let local = 0;
      subs.forEach((sub, k) => {
        local += weights[k]! * (u.get(sub, f[sub]) / u.n);
      });
      // The full value, smoothed: unseen = 1 + distinct values of the coarser sub-features.
      const top = subs[0]!;
      const c0 = g.get(top, f[top]);
      let unseen = 1;
      for (let k = 1; k < subs.length; k++) unseen += g.maps[subs[k]!].size;
      const a = c0 + 1;
      let global = weights[0]! * (Math.max(c0, 1) / (g.n + unseen)) * (a / (a + subs.length));
      for (let k = 1; k < subs.length; k++) global += weights[k]! * (g.n > 0 ? g.get(subs[k]!, f[subs[k]!]) / g.n : 0);
      if (local === 0) local = global / 4;
      risk *= global / local;
    }
    const users = this.perUser.size;
    return (risk * (1 / users)) / (u.n / g.n);
  }
}

/** Freeman scores of a stream in order, each from the logins before it. */
export function scoreFreeman(events: readonly FreemanLogin[], options: FreemanOptions = {}): number[] {
  const scorer = new FreemanScorer(options);
  return events.map((e) => scorer.scoreAndAdd(e));
}
