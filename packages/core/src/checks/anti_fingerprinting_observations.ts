import type { Checks, EvaluationInput, Facts } from '../types.js';
import { signal } from './signal.js';

/** Time zones Firefox's resistFingerprinting reports whatever the machine's (153: Reykjavik; older: UTC). */
const RFP_TIME_ZONES = new Set(['Atlantic/Reykjavik', 'UTC', 'Etc/UTC']);
/** Firefox coarsens performance.now() to 1 ms by default, and to 16.67 ms under resistFingerprinting. */
const FIREFOX_DEFAULT_TIMER_MS = 1;

/**
 * Anti-fingerprinting observations: browsers that blur what they show. Judged from what the SDK saw
 * (engine, canvas read-back, timer step, time zone) and, for Tor Browser, the IP. Measured on
 * firefox-esr 153 (resistFingerprinting: canvas read-back randomised, timer 16.67 ms, time zone
 * Atlantic/Reykjavik; fingerprintingProtection alone: none of these) and Chromium 156 (exact read-back,
 * 0.1 ms). Brave and Safari were not available here: their rules follow their published behaviour.
 */
export function antiFingerprintingObservations(input: EvaluationInput, facts: Facts): Checks {
  const checks: Checks = {};
  const engine = signal<string>(input, 'engine');
  const readback = signal<{ exact?: unknown }>(input, 'canvas_readback');
  const altered = readback && typeof readback.exact === 'boolean' ? !readback.exact : undefined;
  const timer = signal<number | null>(input, 'timer_resolution');
  const timeZone = signal<string>(input, 'timezone');
  if (engine === 'blink' && altered !== undefined) checks.brave_farbling_detected = altered;
  if (engine === 'webkit' && altered !== undefined) checks.safari_itp_lockdown = altered;
  if (engine === 'gecko') {
    const coarse = typeof timer === 'number' ? timer > FIREFOX_DEFAULT_TIMER_MS * 1.5 : undefined;
    if (coarse !== undefined) checks.firefox_etp_timer = coarse;
    if (typeof timeZone === 'string' && (altered !== undefined || coarse !== undefined)) {
      // The randomised canvas is the telling sign; a coarse clock counts only when the canvas could not
      // be read, because a loaded machine (a CI runner in UTC) also makes the clock look coarse.
      const rfp = RFP_TIME_ZONES.has(timeZone) && (altered === true || (altered === undefined && coarse === true));
      checks.firefox_rfp_detected = rfp;
      // Tor Browser is Firefox ESR with resistFingerprinting, and it leaves through a Tor exit.
      if (facts.ip !== null) checks.tor_browser_signature = rfp && (facts.ip.type === 'tor' || facts.ip.types.includes('tor'));
    }
  }
  return checks;
}
