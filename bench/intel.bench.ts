// Reference data lookups (ARCHITECTURE.md budget: ≥ 2,000,000 IP lookups/s on one core over all bundled
// ranges, < 100 MB resident for all reference data). Baseline: parsing the same addresses with ipaddr.js
// (parseIp), what any lookup built on a parser pays before it searches anything.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { classifyPhone, classifyUserAgent, Intel, parseIp } from '@vigil/intel';
import type { BenchRow, BenchStage } from './run.js';

function rate(run: (i: number) => unknown, iterations: number): number {
  for (let i = 0; i < Math.min(iterations, 20_000); i++) run(i); // warm-up
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) run(i);
  return iterations / (Number(process.hrtime.bigint() - started) / 1e9);
}

// Deterministic addresses: the same every run.
let seed = 7;
const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
const v4 = Array.from({ length: 10_000 }, () => `${(next() % 223) + 1}.${next() % 256}.${next() % 256}.${next() % 256}`);
const v6 = Array.from({ length: 10_000 }, () => `2a0${next() % 10}:${(next() % 65536).toString(16)}:${(next() % 65536).toString(16)}::${(next() % 65536).toString(16)}`);
const emails = Array.from({ length: 1_000 }, (_, i) => `user${i}@${['gmail.com', 'example.co.uk', 'mx.0-mail.com', 'corp.example'][i % 4]}`);
const uas = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.6.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
];

// A garbage collection on demand, so that memory is measured as retained, not as garbage not yet freed.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const retained = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};

const stage: BenchStage = {
  stage: 'intel',
  async run(): Promise<BenchRow[]> {
    const before = retained();
    const intel = Intel.load();
    classifyPhone('+4741234567');
    classifyUserAgent(uas[0]!);
    const loadedMb = (retained() - before) / 1e6;
    const now = Date.now();
    const ranges = intel.ip.info().reduce((n, l) => n + l.ranges, 0);
    return [
      { name: 'parseIp (ipaddr.js) of the same IPv4 addresses (baseline)', opsPerSec: rate((i) => parseIp(v4[i % v4.length]!), 300_000), baseline: true },
      {
        name: `IP lists, IPv4 (${ranges.toLocaleString('en-US')} ranges in ${intel.ip.info().length} lists)`,
        opsPerSec: rate((i) => intel.ip.lookup(v4[i % v4.length]!, now), 300_000),
        note: 'budget ≥ 2,000,000/s',
      },
      { name: 'IP lists, IPv6', opsPerSec: rate((i) => intel.ip.lookup(v6[i % v6.length]!, now), 100_000) },
      { name: 'IP lists + geolocation (ipInfo), IPv4', opsPerSec: rate((i) => intel.ipInfo(v4[i % v4.length]!, now), 200_000) },
      { name: 'email classification', opsPerSec: rate((i) => intel.email.classify(emails[i % emails.length]!), 100_000) },
      { name: 'user agent classification', opsPerSec: rate((i) => classifyUserAgent(uas[i % uas.length]!), 50_000) },
      { name: 'memory of all reference data (heap + external, after GC)', note: `${loadedMb.toFixed(0)} MB (budget < 100 MB)` },
    ];
  },
};
export default stage;
