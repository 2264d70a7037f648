import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** One IPv4 range of @ip-location-db/asn: first and last address (numbers), ASN, organisation. */
export type AsnRange = [start: number, end: number, asn: number, org: string];

let cached: AsnRange[] | null = null;

/** Every IPv4 range of the bundled ASN data, sorted (read once per test file). */
export function asnRangesV4(): AsnRange[] {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const text = readFileSync(require.resolve('@ip-location-db/asn/asn-ipv4-num.csv'), 'utf8');
  const out: AsnRange[] = [];
  for (const line of text.split('\n')) {
    const a = line.indexOf(',');
    const b = line.indexOf(',', a + 1);
    const c = line.indexOf(',', b + 1);
    if (a < 0 || b < 0 || c < 0) continue;
    let org = line.slice(c + 1);
    if (org.startsWith('"') && org.endsWith('"')) org = org.slice(1, -1).replaceAll('""', '"');
    out.push([Number(line.slice(0, a)), Number(line.slice(a + 1, b)), Number(line.slice(b + 1, c)), org]);
  }
  out.sort((x, y) => x[0] - y[0]);
  cached = out;
  return out;
}

/** The ranges of the given ASes. */
export function rangesOf(asns: Iterable<number>): AsnRange[] {
  const wanted = new Set(asns);
  return asnRangesV4().filter((r) => wanted.has(r[2]));
}

export const ipv4 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
export const ipv4Number = (ip: string) => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);

/** A deterministic generator in [0, 1): the same samples every run. */
export function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

/** `n` addresses drawn uniformly over the address space of `ranges`. */
export function sampleAddresses(ranges: readonly AsnRange[], n: number, random: () => number): string[] {
  const sizes = ranges.map(([s, e]) => e - s + 1);
  const total = sizes.reduce((a, b) => a + b, 0);
  const out: string[] = [];
  for (let k = 0; k < n && total > 0; k++) {
    let at = Math.floor(random() * total);
    for (let i = 0; i < ranges.length; i++) {
      if (at < sizes[i]!) {
        out.push(ipv4(ranges[i]![0] + at));
        break;
      }
      at -= sizes[i]!;
    }
  }
  return out;
}
