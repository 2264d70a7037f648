import { describe, expect, it } from 'vitest';
import { antiFingerprintingObservations } from './anti_fingerprinting_observations.js';
import { browserSignals, facts, input } from './test-support/fixtures.js';
import type { Facts } from '../types.js';

const residential = facts({ ip: { type: 'unknown', types: [], asn: null, country: 'NO', location: null, listAgeDays: 1 } });
const torExit: Facts = facts({ ip: { type: 'tor', types: ['tor'], asn: null, country: 'DE', location: null, listAgeDays: 1 } });
const rfp = { canvas_readback: { exact: false, stable: true }, timer_resolution: 16.67, timezone: 'Atlantic/Reykjavik' };

describe('anti-fingerprinting observations', () => {
  it('sees nothing in ordinary Chromium, Firefox and Safari', () => {
    expect(antiFingerprintingObservations(input({ signals: browserSignals('blink') }), residential)).toEqual({ brave_farbling_detected: false });
    expect(antiFingerprintingObservations(input({ signals: browserSignals('gecko') }), residential)).toEqual({
      firefox_etp_timer: false,
      firefox_rfp_detected: false,
      tor_browser_signature: false,
    });
    expect(antiFingerprintingObservations(input({ signals: browserSignals('webkit') }), residential)).toEqual({ safari_itp_lockdown: false });
  });

  it('names Firefox resistFingerprinting as firefox-esr 153 shows it, and Tor Browser when it comes from a Tor exit', () => {
    expect(antiFingerprintingObservations(input({ signals: browserSignals('gecko', rfp) }), residential)).toEqual({
      firefox_etp_timer: true,
      firefox_rfp_detected: true,
      tor_browser_signature: false,
    });
    expect(antiFingerprintingObservations(input({ signals: browserSignals('gecko', rfp) }), torExit)).toMatchObject({ tor_browser_signature: true });
    // A Firefox in Reykjavik (or on a UTC server) with an exact canvas and a 1 ms clock is not RFP.
    expect(antiFingerprintingObservations(input({ signals: browserSignals('gecko', { timezone: 'Atlantic/Reykjavik' }) }), torExit)).toMatchObject({
      firefox_rfp_detected: false,
      tor_browser_signature: false,
    });
    // A plain Firefox on a loaded UTC machine: its clock steps look coarse, but the canvas reads back exact.
    expect(antiFingerprintingObservations(input({ signals: browserSignals('gecko', { timezone: 'UTC', timer_resolution: 17 }) }), residential)).toMatchObject({
      firefox_etp_timer: true,
      firefox_rfp_detected: false,
    });
    // With no canvas read-back to go by, the clock and the time zone decide.
    const noCanvas = { ...browserSignals('gecko', { timezone: 'UTC', timer_resolution: 16.67 }), canvas_readback: { error: 'unsupported', ms: 0 } };
    expect(antiFingerprintingObservations(input({ signals: noCanvas }), residential)).toMatchObject({ firefox_rfp_detected: true });
  });

  it('calls an altered canvas read-back farbling in a Chromium and protection in a WebKit', () => {
    const altered = { canvas_readback: { exact: false, stable: false } };
    expect(antiFingerprintingObservations(input({ signals: browserSignals('blink', altered) }), residential)).toEqual({ brave_farbling_detected: true });
    expect(antiFingerprintingObservations(input({ signals: browserSignals('webkit', altered) }), residential)).toEqual({ safari_itp_lockdown: true });
  });

  it('stays absent when the probes failed or the SDK sent nothing', () => {
    expect(antiFingerprintingObservations(input(), residential)).toEqual({});
    const failed = { ...browserSignals('gecko'), canvas_readback: { error: 'unsupported', ms: 0 }, timer_resolution: { error: 'timeout', ms: 100 } };
    expect(antiFingerprintingObservations(input({ signals: failed }), residential)).toEqual({});
  });
});
