import type { Checks, EvaluationInput, Facts } from '../types.js';
import { signal } from './signal.js';

const engineOf: Record<string, string> = { Chrome: 'blink', 'Chrome Headless': 'blink', Chromium: 'blink', 'Chrome WebView': 'blink', Edge: 'blink', Opera: 'blink', Brave: 'blink', Firefox: 'gecko', Safari: 'webkit', 'Mobile Safari': 'webkit' };

/**
 * Tampering observations: the browser lying about itself. Patched built-ins (by a pristine toString),
 * a fake plugin array, an engine that is not the one the user agent names, client hints that contradict
 * the user agent. Absent when the signal is.
 */
export function tamperingObservations(input: EvaluationInput, facts: Facts): Checks {
  const checks: Checks = {};
  const patched = signal<string[]>(input, 'native_functions');
  if (Array.isArray(patched)) {
    checks.prototype_integrity_fail = patched.some((name) => name !== 'Math.random');
    checks.math_random_patched = patched.includes('Math.random');
  }
  const plugins = signal<boolean>(input, 'plugins_prototype');
  if (typeof plugins === 'boolean') checks.plugin_prototype_mismatch = !plugins;
  const ua = facts.userAgent;
  const engine = signal<string>(input, 'engine');
  const claimed = ua?.browser ? engineOf[ua.browser] : undefined;
  // iOS browsers are all WebKit whatever they are called; only judge where the claim pins the engine.
  if (typeof engine === 'string' && engine !== 'unknown' && claimed && ua?.os !== 'iOS') checks.engine_probe_mismatch = engine !== claimed;
  const hints = (signal<{ ua_client_hints?: { brands?: string[]; mobile?: boolean | null } | null }>(input, 'browser_features') ?? {}).ua_client_hints;
  if (hints && ua) {
    const chromiumHints = (hints.brands ?? []).some((b) => /Chromium|Google Chrome|Microsoft Edge/.test(b));
    const mobileMismatch = typeof hints.mobile === 'boolean' && ua.deviceClass !== null && ua.deviceClass !== 'other' && hints.mobile !== (ua.deviceClass === 'mobile');
    checks.uach_vs_ua_mismatch = (chromiumHints && claimed !== undefined && claimed !== 'blink') || mobileMismatch;
  }
  return checks;
}
