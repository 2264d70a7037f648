// What the SDK's behaviour listeners cost a page (issue 16: "no work per event beyond a counter update").
// The listeners' own code, bundled from source with bench/sdk/in-page.ts, is called in Chromium with events
// shaped as the browser delivers them, against an empty listener called the same way: ns per event.
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import type { BenchRow } from '../run.js';

const CALLS = 200_000;
const ROUNDS = 5;

async function measuringScript(): Promise<string> {
  const out = await build({
    stdin: {
      contents: "import { measureListeners } from './in-page.ts'; window.__measureListeners = measureListeners;",
      resolveDir: new URL('.', import.meta.url).pathname,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    write: false,
    target: ['es2019'],
  });
  return out.outputFiles[0]!.text;
}

export async function listenerRows(page: Page): Promise<BenchRow[]> {
  await page.addScriptTag({ content: await measuringScript() });
  const ns = await page.evaluate(
    ([calls, rounds]) => (window as unknown as { __measureListeners(c: number, r: number): Record<string, number> }).__measureListeners(calls, rounds),
    [CALLS, ROUNDS] as const,
  );
  const row = (name: string, key: string, note: string): BenchRow => ({
    name,
    opsPerSec: 1e9 / ns[key]!,
    note: `${ns[key]!.toFixed(0)} ns/event (an empty listener: ${ns.empty!.toFixed(0)} ns); ${note}`,
  });
  return [
    row('behaviour listener: pointermove', 'pointermove', 'a frame is 16,700,000 ns'),
    row('behaviour listener: keydown + keyup', 'keydown_keyup', 'per key event'),
    row('behaviour listener: input', 'input', 'per input event'),
    row('behaviour listener: pointerdown (judges the path)', 'pointerdown', 'once per click'),
  ];
}
