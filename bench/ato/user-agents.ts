// The user agents of the synthetic users and attackers, and how they age over the year.
//
//   const DEFAULT_UA_FILE: string
//   interface UaEntry { ua: string; weight: number; category: 'desktop' | 'mobile' | 'tablet'; appleSafari: boolean }
//   class UaCatalog { static load(file?: string): UaCatalog; pick(rng: Rng, category?: UaEntry['category']): UaEntry; size: number }
//   interface BumpSteps { chromium: number; firefox: number; safari: number }
//   function bumpUserAgent(ua: string, steps: BumpSteps): string
//   function releasesBetween(fromMs: number, toMs: number, anchorMs: number, lagDays: number): BumpSteps
//
// Source: Intoli's user-agents 2.1.198 (weighted by how often each string was seen on real sites). Its
// weights are the device mix: about 56 % phones, 44 % computers. Of its 952 distinct strings, 615 (6 % of
// the weight) are device emulation with made-up versions (Chrome DevTools' Galaxy S5, Pixel 2, iPhone with
// "Chrome/5x.0.7149.1690"): they are dropped, as are bots (isbot: none), since no person logs in with
// them. 337 strings remain; the same string in several lines is one entry with the lines' weights added.
import { readFileSync } from 'node:fs';
import { classifyUserAgent } from '@vigil/intel';
import { type Rng, WeightedTable } from './random.js';

export const DEFAULT_UA_FILE = process.env.VIGIL_ATO_UA_FILE ?? '/work/shared/data/ua/intoli_user_agents_2.1.198.jsonl';

export interface UaEntry {
  ua: string;
  weight: number;
  category: 'desktop' | 'mobile' | 'tablet';
  /** Safari on an iPhone, iPad or Mac: the browsers iCloud Private Relay covers. */
  appleSafari: boolean;
}

interface IntoliLine {
  userAgent?: unknown;
  weight?: unknown;
  deviceCategory?: unknown;
}

const DAY_MS = 86_400_000;
/** Chrome, Edge and Firefox ship a major version every four weeks. */
const CHROMIUM_CADENCE_DAYS = 28;
const FIREFOX_CADENCE_DAYS = 28;
/** Safari and iOS/iPadOS point releases: about every eight weeks. */
const SAFARI_CADENCE_DAYS = 56;

export class UaCatalog {
  private readonly all: WeightedTable<UaEntry>;
  private readonly byCategory = new Map<string, WeightedTable<UaEntry>>();

  private constructor(readonly entries: readonly UaEntry[]) {
    this.all = new WeightedTable(entries, (e) => e.weight);
    for (const category of ['desktop', 'mobile', 'tablet']) {
      this.byCategory.set(
        category,
        new WeightedTable(
          entries.filter((e) => e.category === category),
          (e) => e.weight,
        ),
      );
    }
  }

  static load(file: string = DEFAULT_UA_FILE): UaCatalog {
    // 10,000 lines but about 950 distinct strings (the other fields differ): entries with the same string
    // and category are merged, their weights added, in order of first appearance.
    const merged = new Map<string, UaEntry>();
    const rejected = new Set<string>();
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const row = JSON.parse(line) as IntoliLine;
      if (typeof row.userAgent !== 'string' || typeof row.weight !== 'number') continue;
      const category = row.deviceCategory === 'mobile' || row.deviceCategory === 'tablet' ? row.deviceCategory : 'desktop';
      const ua = row.userAgent;
      const key = `${category}|${ua}`;
      const known = merged.get(key);
      if (known) {
        known.weight += row.weight;
        continue;
      }
      if (rejected.has(ua)) continue;
      if (isEmulated(ua) || classifyUserAgent(ua).isBot) {
        rejected.add(ua);
        continue;
      }
      merged.set(key, { ua, weight: row.weight, category, appleSafari: isAppleSafari(ua) });
    }
    return new UaCatalog([...merged.values()]);
  }

  get size(): number {
    return this.entries.length;
  }

  pick(rng: Rng, category?: UaEntry['category']): UaEntry {
    const table = category ? this.byCategory.get(category) : this.all;
    return table && table.size > 0 ? table.sample(rng) : this.all.sample(rng);
  }
}

/** DevTools device emulation and made-up versions (Chrome below 100 with a random build number). */
function isEmulated(ua: string): boolean {
  if (/HeadlessChrome|SM-G900P Build\/LRX21T/.test(ua)) return true;
  const chrome = /Chrome\/(\d+)\./.exec(ua);
  return chrome !== null && Number(chrome[1]) < 100;
}

function isAppleSafari(ua: string): boolean {
  return /(iPhone|iPad|Macintosh)/.test(ua) && /Version\/\d+/.test(ua) && /Safari\//.test(ua) && !/(CriOS|FxiOS|EdgiOS|Chrome|Firefox|GSA|OPT|Ddg)\//.test(ua);
}

export interface BumpSteps {
  chromium: number;
  firefox: number;
  safari: number;
}

/**
 * Browser releases a device installed between two instants: a release `k` of a cadence lands at
 * anchor + offset + k·cadence, and a device installs it `lagDays` later (users update at different times).
 */
export function releasesBetween(fromMs: number, toMs: number, anchorMs: number, lagDays: number): BumpSteps {
  const count = (cadenceDays: number, offsetDays: number) => {
    const at = (ms: number) => Math.floor((ms - anchorMs - (offsetDays + lagDays) * DAY_MS) / (cadenceDays * DAY_MS));
    return Math.max(0, at(toMs) - at(fromMs));
  };
  return { chromium: count(CHROMIUM_CADENCE_DAYS, 13), firefox: count(FIREFOX_CADENCE_DAYS, 20), safari: count(SAFARI_CADENCE_DAYS, 30) };
}

/**
 * The same browser after `steps` releases: Chrome/Edge (and CriOS, EdgA, EdgiOS) and Firefox (FxiOS, rv:)
 * majors go up; Safari's Version/X.Y and the iOS version go up one minor per Safari step (patch dropped).
 * macOS's frozen "10_15_7" and everything else stay: family, OS and device never change.
 */
export function bumpUserAgent(ua: string, steps: BumpSteps): string {
  let out = ua;
  if (steps.chromium > 0) out = out.replace(/\b(Chrome|CriOS|Edg|EdgA|EdgiOS)\/(\d+)/g, (_m, name: string, v: string) => `${name}/${Number(v) + steps.chromium}`);
  if (steps.firefox > 0) {
    out = out.replace(/\b(Firefox|FxiOS)\/(\d+)/g, (_m, name: string, v: string) => `${name}/${Number(v) + steps.firefox}`);
    out = out.replace(/\brv:(\d+)\.0/g, (_m, v: string) => `rv:${Number(v) + steps.firefox}.0`);
    out = out.replace(/Gecko\/(\d{3})\.0 /g, (_m, v: string) => `Gecko/${Number(v) + steps.firefox}.0 `);
  }
  if (steps.safari > 0) {
    if (isAppleSafari(ua)) out = out.replace(/\bVersion\/(\d+)\.(\d+)(?:\.\d+)?/, (_m, major: string, minor: string) => `Version/${major}.${Number(minor) + steps.safari}`);
    out = out.replace(/\bOS (\d+)_(\d+)(?:_\d+)? like Mac OS X/, (_m, major: string, minor: string) => `OS ${major}_${Number(minor) + steps.safari} like Mac OS X`);
  }
  return out;
}
