// The browser SDK's signal collection in Debian's Chromium (issue 6 budget: < 150 ms on a desktop page),
// measured in the page with performance.now(). Baseline: the same round trip into the page doing nothing.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { launchChromium } from '../e2e/support/browser.js';
import type { BenchRow, BenchStage } from './run.js';
import { listenerRows } from './sdk/listeners.js';

const RUNS = 30;
const COLD_RUNS = 15;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const stage: BenchStage = {
  stage: 'sdk',
  async run(): Promise<BenchRow[]> {
    const bundle = readFileSync(new URL('../packages/sdk-browser/dist/vigil.js', import.meta.url), 'utf8');
    const server = createServer((req, res) => {
      if (req.url === '/vigil.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>bench</title><script src="/vigil.js"></script><p>page</p>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      const time = (script: 'nothing' | 'collect') =>
        page.evaluate(async (what) => {
          const started = performance.now();
          if (what === 'collect') await (window as unknown as { Vigil: { getHash(): Promise<string> } }).Vigil.getHash();
          else await Promise.resolve();
          return performance.now() - started;
        }, script);
      const rows: BenchRow[] = [];
      // Cold: a fresh page each time, as a visitor's first evaluation. "At the action": the SDK set up
      // (new Vigil) a second before, as on a login form, so its once-per-page probes have started.
      for (const [name, setUpFirst] of [
        ['first collection on a fresh page (cold)', false],
        ['first collection at the action, SDK set up 1 s before', true],
      ] as const) {
        const samples: number[] = [];
        for (let i = 0; i < COLD_RUNS; i++) {
          const fresh = await browser.newPage();
          await fresh.goto(page.url());
          samples.push(
            await fresh.evaluate(async (setUp) => {
              const V = (window as unknown as { Vigil: { new (o: { clientId: string }): unknown; getHash(): Promise<string> } }).Vigil;
              if (setUp) {
                new V({ clientId: 'cl_bench' });
                await new Promise((resolve) => setTimeout(resolve, 1000));
              }
              const started = performance.now();
              await V.getHash();
              return performance.now() - started;
            }, setUpFirst),
          );
          await fresh.close();
        }
        const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
        rows.push({ name, opsPerSec: 1000 / mean, p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99), note: 'budget < 150 ms' });
      }
      for (const [name, script] of [
        ['an empty evaluation in the page (baseline)', 'nothing'],
        ['collect every signal again in the same page (warm)', 'collect'],
      ] as const) {
        const samples: number[] = [];
        for (let i = 0; i < RUNS; i++) samples.push(await time(script));
        const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
        rows.push({
          name,
          opsPerSec: mean > 0 ? 1000 / mean : undefined,
          p50Ms: percentile(samples, 50),
          p99Ms: percentile(samples, 99),
          ...(script === 'nothing' ? { baseline: true } : { note: 'budget < 150 ms' }),
        });
      }
      rows.push(...(await listenerRows(page)));
      rows.push({ name: 'the SDK bundle (vigil.js), gzipped', note: `${(gzipSync(bundle).length / 1024).toFixed(1)} kB; budget 15 kB` });
      return rows;
    } finally {
      await browser.close();
      server.close();
    }
  },
};
export default stage;
