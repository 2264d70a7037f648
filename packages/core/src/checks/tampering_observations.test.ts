import { describe, expect, it } from 'vitest';
import { tamperingObservations } from './tampering_observations.js';
import { facts, input } from './test-support/fixtures.js';

const chrome = facts({ userAgent: { deviceClass: 'computer', browser: 'Chrome', os: 'Windows', isBot: false } });
const firefox = facts({ userAgent: { deviceClass: 'computer', browser: 'Firefox', os: 'Windows', isBot: false } });
const signals = (over: Record<string, unknown>) => input({ signals: Object.fromEntries(Object.entries(over).map(([k, value]) => [k, { value, ms: 0 }])) });

describe('tampering observations', () => {
  it('finds patched built-ins, telling Math.random apart', () => {
    expect(tamperingObservations(signals({ native_functions: [] }), chrome)).toEqual({ prototype_integrity_fail: false, math_random_patched: false });
    expect(tamperingObservations(signals({ native_functions: ['navigator.permissions.query'] }), chrome)).toMatchObject({ prototype_integrity_fail: true, math_random_patched: false });
    expect(tamperingObservations(signals({ native_functions: ['Math.random'] }), chrome)).toMatchObject({ prototype_integrity_fail: false, math_random_patched: true });
  });

  it('finds a fake plugin array and an engine that is not the claimed one', () => {
    expect(tamperingObservations(signals({ plugins_prototype: false }), chrome)).toEqual({ plugin_prototype_mismatch: true });
    expect(tamperingObservations(signals({ engine: 'blink' }), chrome)).toEqual({ engine_probe_mismatch: false });
    expect(tamperingObservations(signals({ engine: 'blink' }), firefox)).toEqual({ engine_probe_mismatch: true });
    expect(tamperingObservations(signals({ engine: 'unknown' }), firefox)).toEqual({});
  });

  it('finds client hints that contradict the user agent', () => {
    const hints = (brands: string[], mobile: boolean) => signals({ browser_features: { ua_client_hints: { brands, mobile } } });
    expect(tamperingObservations(hints(['Chromium', 'Google Chrome'], false), chrome)).toEqual({ uach_vs_ua_mismatch: false });
    expect(tamperingObservations(hints(['Chromium', 'Google Chrome'], false), firefox)).toEqual({ uach_vs_ua_mismatch: true });
    expect(tamperingObservations(hints(['Chromium'], true), chrome)).toEqual({ uach_vs_ua_mismatch: true });
  });

  it('says nothing without signals', () => {
    expect(tamperingObservations(input(), chrome)).toEqual({});
  });
});
