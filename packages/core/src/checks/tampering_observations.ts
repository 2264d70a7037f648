import type { Checks, EvaluationInput, Facts } from '../types.js';
import { signal } from './signal.js';

const engineOf: Record<string, string> = {
  Chrome: 'blink',
  'Chrome Headless': 'blink',
  Chromium: 'blink',
  'Chrome WebView': 'blink',
  Edge: 'blink',
  Opera: 'blink',
  Brave: 'blink',
  Firefox: 'gecko',
  Safari: 'webkit',
  'Mobile Safari': 'webkit',
};

/**
 * Tampering observations: the browser lying about itself. Patched built-ins (by a pristine toString),
 * a fake plugin array, an engine that is not the one the user agent names, client hints that contradict
 * the user agent. Absent when the signal is.
 */
export function tamperingObservations(input: EvaluationInput, facts: Facts): Checks {
  const checks: Checks = {};
  const ua = facts.userAgent;
  const engine = signal<string>(input, 'engine');
  const patched = signal<string[]>(input, 'native_functions');
  const inWorker = workerDifferences(input);
  if (Array.isArray(patched)) {
    // A page whose navigator or WebGL says something a fresh iframe or a worker does not was patched as
    // surely as a function whose source is not native.
    checks.prototype_integrity_fail = patched.some((name) => name !== 'Math.random') || inWorker === true;
    checks.math_random_patched = patched.includes('Math.random');
  } else if (inWorker !== undefined) {
    checks.prototype_integrity_fail = inWorker;
  }
  const permissions = signal<{ notification?: unknown; notification_query?: unknown; orientation_permission?: unknown }>(input, 'permissions');
  if (permissions && typeof permissions.notification === 'string' && typeof permissions.notification_query === 'string') {
    const asQuery = permissions.notification === 'default' ? 'prompt' : permissions.notification;
    checks.notifications_permission_spoof = asQuery !== permissions.notification_query;
  }
  // DeviceOrientationEvent.requestPermission was iOS-only; Chromium 156 has it too (measured), so only a
  // WebKit on a touchless computer (macOS Safari, which lacks it) is judged: there it means an iOS
  // device dressed as a Mac. iPads asking for the desktop site are tablets by their touch points.
  if (permissions && typeof permissions.orientation_permission === 'boolean' && engine === 'webkit' && ua?.deviceClass === 'computer' && ua.os !== 'iOS') {
    checks.deviceorientation_permission_non_ios = permissions.orientation_permission;
  }
  const plugins = signal<boolean>(input, 'plugins_prototype');
  if (typeof plugins === 'boolean') checks.plugin_prototype_mismatch = !plugins;
  const claimed = ua?.browser ? engineOf[ua.browser] : undefined;
  // iOS browsers are all WebKit whatever they are called; only judge where the claim pins the engine.
  if (typeof engine === 'string' && engine !== 'unknown' && claimed && ua?.os !== 'iOS') checks.engine_probe_mismatch = engine !== claimed;
  const hints = signal<{ ua_client_hints?: { brands?: string[]; mobile?: boolean | null } | null }>(input, 'browser_features')?.ua_client_hints;
  if (hints && ua) {
    const chromiumHints = (hints.brands ?? []).some((b) => /Chromium|Google Chrome|Microsoft Edge/.test(b));
    const mobileMismatch = typeof hints.mobile === 'boolean' && ua.deviceClass !== null && ua.deviceClass !== 'other' && hints.mobile !== (ua.deviceClass === 'mobile');
    checks.uach_vs_ua_mismatch = (chromiumHints && claimed !== undefined && claimed !== 'blink') || mobileMismatch;
  }
  return checks;
}

/** Whether a worker saw other navigator values or another WebGL renderer than the page; undefined: not known. */
function workerDifferences(input: EvaluationInput): boolean | undefined {
  const worker = signal<{ differing?: unknown; webgl_renderer?: unknown }>(input, 'worker_values');
  if (!worker || !Array.isArray(worker.differing)) return undefined;
  const pageRenderer = signal<{ renderer?: unknown }>(input, 'webgl')?.renderer;
  const rendererDiffers = typeof worker.webgl_renderer === 'string' && typeof pageRenderer === 'string' && worker.webgl_renderer !== pageRenderer;
  return worker.differing.length > 0 || rendererDiffers;
}
