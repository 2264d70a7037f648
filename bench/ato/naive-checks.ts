// Baseline: "naive weighted checks", the rule-of-thumb score many login-risk products start from.
//
//   const NAIVE_WEIGHTS: { newIp: 10; newCountry: 15; newAsn: 20; newUa: 20; hostingOrVpn: 30 }
//   interface NaiveLogin { user: string; ip: string; ua: string }
//   class NaiveChecksScorer { constructor(options?: { describeIp?; intel? }); scoreAndAdd(login): number }
//   function scoreNaiveChecks(events: readonly NaiveLogin[], options?): number[]
//
// score = 10·(IP new to the user) + 15·(country new) + 20·(ASN new) + 20·(exact UA string new)
//       + 30·(the address is a server or an anonymiser: intel types it hosting, vpn, tor or proxy).
// iCloud Private Relay is not counted with the anonymisers: it is what ordinary iPhone users get by
// default-on, and counting it would punish Apple users rather than attackers.
// Streaming per user, each login against the user's earlier logins (attacks included: the scorer
// cannot know). A user's first login has nothing to be new against: only the last check applies.
// Scores take few distinct values, so thresholds land on ties; metrics.ts handles them (≥ threshold).
import { Intel } from '@vigil/intel';

export const NAIVE_WEIGHTS = { newIp: 10, newCountry: 15, newAsn: 20, newUa: 20, hostingOrVpn: 30 } as const;

export interface NaiveLogin {
  user: string;
  ip: string;
  ua: string;
}

export interface NaiveOptions {
  describeIp?: (ip: string) => { asn: number | null; country: string | null; type: string } | null;
  intel?: Intel;
}

const SERVER_OR_ANONYMISER = new Set(['hosting', 'vpn', 'tor', 'proxy']);

interface Seen {
  ips: Set<string>;
  countries: Set<string>;
  asns: Set<string>;
  uas: Set<string>;
}

export class NaiveChecksScorer {
  private readonly users = new Map<string, Seen>();
  private readonly memo = new Map<string, { asn: string; country: string; server: boolean }>();
  private readonly describeIp: (ip: string) => { asn: number | null; country: string | null; type: string } | null;

  constructor(options: NaiveOptions = {}) {
    if (options.describeIp) this.describeIp = options.describeIp;
    else {
      const intel = options.intel ?? Intel.load();
      const now = Date.parse('2026-07-01T00:00:00Z');
      this.describeIp = (ip) => intel.ipInfo(ip, now);
    }
  }

  scoreAndAdd(login: NaiveLogin): number {
    let ip = this.memo.get(login.ip);
    if (!ip) {
      const info = this.describeIp(login.ip);
      ip = { asn: String(info?.asn ?? null), country: String(info?.country ?? null), server: SERVER_OR_ANONYMISER.has(info?.type ?? 'unknown') };
      this.memo.set(login.ip, ip);
    }
    let seen = this.users.get(login.user);
    let score = ip.server ? NAIVE_WEIGHTS.hostingOrVpn : 0;
    if (!seen) {
      seen = { ips: new Set(), countries: new Set(), asns: new Set(), uas: new Set() };
      this.users.set(login.user, seen);
    } else {
      if (!seen.ips.has(login.ip)) score += NAIVE_WEIGHTS.newIp;
      if (!seen.countries.has(ip.country)) score += NAIVE_WEIGHTS.newCountry;
      if (!seen.asns.has(ip.asn)) score += NAIVE_WEIGHTS.newAsn;
      if (!seen.uas.has(login.ua)) score += NAIVE_WEIGHTS.newUa;
    }
    seen.ips.add(login.ip);
    seen.countries.add(ip.country);
    seen.asns.add(ip.asn);
    seen.uas.add(login.ua);
    return score;
  }
}

export function scoreNaiveChecks(events: readonly NaiveLogin[], options: NaiveOptions = {}): number[] {
  const scorer = new NaiveChecksScorer(options);
  return events.map((e) => scorer.scoreAndAdd(e));
}
