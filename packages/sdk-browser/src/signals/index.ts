import { automation } from './automation.js';
import { browserFeatures } from './browser_features.js';
import { canvas } from './canvas.js';
import { engine } from './engine.js';
import { type Collector, runCollector, type SignalResult } from './collector.js';
import { hardware } from './hardware.js';
import { inputEvents } from './input_events.js';
import { keys } from './keys.js';
import { pointer } from './pointer.js';
import { windowGeometry } from './window.js';
import { languages } from './languages.js';
import { nativeFunctions } from './native_functions.js';
import { platform } from './platform.js';
import { pluginsPrototype } from './plugins_prototype.js';
import { processObject } from './process_object.js';
import { colorDepth, screenSize } from './screen.js';
import { timezone } from './timezone.js';
import { userAgent } from './user-agent.js';
import { webdriver } from './webdriver.js';
import { webgl } from './webgl.js';
import { canvasReadback } from './canvas_readback.js';
import { fonts } from './fonts.js';
import { media } from './media.js';
import { permissions } from './permissions.js';
import { storage } from './storage.js';
import { timerResolution } from './timer_resolution.js';
import { workerValues } from './worker_values.js';
import { canonicalJson, hash128 } from '../hash.js';

export type { Collector, SignalResult } from './collector.js';

/** Every collector the SDK runs, in one place: adding a signal is adding a file and a line here. */
export const collectors: readonly Collector[] = [
  timezone,
  languages,
  platform,
  hardware,
  colorDepth,
  canvas,
  webgl,
  screenSize,
  userAgent,
  webdriver,
  automation,
  processObject,
  browserFeatures,
  nativeFunctions,
  pluginsPrototype,
  engine,
  inputEvents,
  pointer,
  keys,
  windowGeometry,
  fonts,
  storage,
  workerValues,
  canvasReadback,
  timerResolution,
  media,
  permissions,
];

/**
 * Each collector's time budget unless it sets its own; they run concurrently, so the largest bounds the
 * whole collection.
 */
const BUDGET_MS = 100;

const onceAPage = new Map<string, Promise<unknown>>();

/** What a collector collects now, or for a once-per-page collector, what it collected (or is collecting). */
function collecting(collector: Collector): Promise<unknown> {
  if (!collector.oncePerPage) return Promise.resolve().then(() => collector.collect());
  let started = onceAPage.get(collector.name);
  if (!started) {
    started = Promise.resolve().then(() => collector.collect());
    onceAPage.set(collector.name, started);
  }
  return started;
}

/** Starts the once-per-page probes as soon as the SDK is set up. */
export function prewarmSignals(list: readonly Collector[] = collectors): void {
  for (const collector of list) if (collector.oncePerPage) collecting(collector).catch(() => undefined);
}

export interface Signals {
  /** Hash of the stable attributes: the device's fingerprint. */
  fingerprint: string;
  attributes: Record<string, SignalResult>;
}

export async function collectSignals(list: readonly Collector[] = collectors): Promise<Signals> {
  const results = await Promise.all(list.map((c) => runCollector({ ...c, collect: () => collecting(c) }, c.budgetMs ?? BUDGET_MS)));
  const attributes: Record<string, SignalResult> = {};
  const stable: Record<string, unknown> = {};
  list.forEach((collector, i) => {
    const result = results[i]!;
    attributes[collector.name] = result;
    // A failed stable probe contributes its error, not its timing, so the hash does not wobble.
    if (collector.stable) stable[collector.name] = 'value' in result ? result.value : { error: result.error };
  });
  return { fingerprint: hash128(canonicalJson(stable)), attributes };
}
