import { describe, expect, it } from 'vitest';
import { tamperingObservations } from './tampering_observations.js';
import { browserSignals, facts, input } from './test-support/fixtures.js';

const chrome = facts({ userAgent: { deviceClass: 'computer', browser: 'Chrome', os: 'Windows', isBot: false } });
const firefox = facts({ userAgent: { deviceClass: 'computer', browser: 'Firefox', os: 'Windows', isBot: false } });
const signals = (over: Record<string, unknown>) => input({ signals: Object.fromEntries(Object.entries(over).map(([k, value]) => [k, { value, ms: 0 }])) });

describe('tampering observations', () => {
  it('finds patched built-ins, telling Math.random apart', () => {
    expect(tamperingObservations(signals({ native_functions: [] }), chrome)).toEqual({ prototype_integrity_fail: false, math_random_patched: false });
    expect(tamperingObservations(signals({ native_functions: ['navigator.permissions.query'] }), chrome)).toMatchObject({
      prototype_integrity_fail: true,
      math_random_patched: false,
    });
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

describe('tampering observations from workers, permissions and orientation', () => {
  const iphone = facts({ userAgent: { deviceClass: 'mobile', browser: 'Mobile Safari', os: 'iOS', isBot: false } });
  const checks = (over: Record<string, unknown>, f = chrome) => tamperingObservations(input({ signals: browserSignals('blink', over) }), f);

  it('is quiet when page, iframe and worker agree and the permission APIs agree', () => {
    expect(checks({})).toMatchObject({ prototype_integrity_fail: false, notifications_permission_spoof: false });
  });

  it('catches a navigator value patched in the page only', () => {
    expect(checks({ worker_values: { differing: ['worker.userAgent'], webgl_renderer: null } }).prototype_integrity_fail).toBe(true);
    expect(checks({ native_functions: ['iframe.platform'] }).prototype_integrity_fail).toBe(true);
    // What puppeteer-extra-plugin-stealth leaves: the page's WebGL says Intel Iris, the worker's SwiftShader.
    const stealth = {
      webgl: { vendor: 'Intel Inc.', renderer: 'Intel Iris OpenGL Engine' },
      worker_values: { differing: [], webgl_renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)' },
    };
    expect(checks(stealth).prototype_integrity_fail).toBe(true);
    expect(tamperingObservations(input({ signals: { worker_values: { value: { differing: [], webgl_renderer: null }, ms: 1 } } }), chrome).prototype_integrity_fail).toBe(false);
  });

  it('catches disagreeing notification permissions and an iOS-only API off iOS', () => {
    expect(checks({ permissions: { notification: 'denied', notification_query: 'prompt', orientation_permission: false } }).notifications_permission_spoof).toBe(true);
    const mac = facts({ userAgent: { deviceClass: 'computer', browser: 'Safari', os: 'Mac OS', isBot: false } });
    const safari = (orientation_permission: boolean, f = mac) =>
      tamperingObservations(input({ signals: browserSignals('webkit', { permissions: { notification: 'default', notification_query: 'prompt', orientation_permission } }) }), f);
    expect(safari(true).deviceorientation_permission_non_ios).toBe(true);
    expect(safari(false).deviceorientation_permission_non_ios).toBe(false);
    expect(safari(true, iphone).deviceorientation_permission_non_ios).toBeUndefined();
    // Chromium 156 has requestPermission too: not judged there.
    expect(checks({ permissions: { notification: 'default', notification_query: 'prompt', orientation_permission: true } }).deviceorientation_permission_non_ios).toBeUndefined();
  });
});
