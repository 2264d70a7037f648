// Builders for the check families' scenario tests: plain data, and time always passed in.
import type { DecideOptions, DeviceActivity, EvaluationInput, Facts, GeoLocation, HistorySnapshot, LocatedEvaluation } from '../../types.js';
import { emptyHistory, noFacts } from '../../types.js';
import type { CheckContext } from '../context.js';

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A fixed "now" (2026-11-25T12:00:00Z): tests never read the clock. */
export const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);

export const options: DecideOptions = {
  retentionMs: 180 * DAY,
  sessionWindowMs: 5 * MINUTE,
  deviceWindowMs: 30 * DAY,
  originWindowMs: 90 * DAY,
};

export function ctx(now = NOW, overrides: Partial<DecideOptions> = {}): CheckContext {
  return { now, options: { ...options, ...overrides } };
}

export function input(overrides: Partial<EvaluationInput> = {}): EvaluationInput {
  return { action: 'login', channel: 'client', user: { id: 'user-1' }, metadata: {}, ...overrides };
}

export function history(overrides: Partial<HistorySnapshot> = {}): HistorySnapshot {
  return { ...emptyHistory, ...overrides };
}

export function facts(overrides: Partial<Facts> = {}): Facts {
  return { ...noFacts, ...overrides };
}

const city = (latitude: number, longitude: number, accuracyKm = 25): GeoLocation => ({ latitude, longitude, accuracyKm, precision: 'city' });

export const places = {
  oslo: city(59.9139, 10.7522),
  drammen: city(59.7439, 10.2045),
  bergen: city(60.3913, 5.3221),
  newYork: city(40.7128, -74.006),
  sydney: city(-33.8688, 151.2093),
  /** Norway known only as a country: its centroid, with a radius of the country's size. */
  norway: { latitude: 64.5, longitude: 12, accuracyKm: 800, precision: 'country' } satisfies GeoLocation,
  unitedStates: { latitude: 39.8, longitude: -98.6, accuracyKm: 2500, precision: 'country' } satisfies GeoLocation,
};

/** What intel knows about a residential IP at `location` in `country`. */
export function ipAt(location: GeoLocation | null, country: string | null = 'NO', type: 'residential' | 'relay' | 'vpn' = 'residential'): Facts {
  return facts({ ip: { type, types: [type], asn: 2119, country, location, listAgeDays: 3 } });
}

export function located(at: number, location: GeoLocation, extra: Partial<LocatedEvaluation> = {}): LocatedEvaluation {
  return { at, location, country: 'NO', relay: false, deviceId: null, ...extra };
}

export function device(deviceId: string, lastSeenAt: number, extra: Partial<DeviceActivity> = {}): DeviceActivity {
  return { deviceId, deviceClass: 'computer', firstSeenAt: lastSeenAt - 10 * DAY, lastSeenAt, lastLocation: places.oslo, ...extra };
}

export const knownUser = { firstSeenAt: NOW - 400 * DAY, emailVerified: false, phoneVerified: false, suspended: false };

/**
 * What the browser SDK sends from an ordinary desktop browser of the given engine: every collector the
 * observation checks read, each `{ value, ms }`, overridable by name.
 */
export function browserSignals(engine: 'blink' | 'gecko' | 'webkit' = 'blink', over: Record<string, unknown> = {}): Record<string, unknown> {
  const values: Record<string, unknown> = {
    engine,
    timezone: 'Europe/Oslo',
    languages: ['nb-NO', 'nb', 'en'],
    webdriver: false,
    automation: [],
    process_object: false,
    webgl: { vendor: 'Google Inc. (Intel)', renderer: 'ANGLE (Intel, Mesa Intel(R) UHD Graphics 620)' },
    browser_features: {
      ua_client_hints: engine === 'blink' ? { brands: ['Chromium', 'Google Chrome'], mobile: false } : null,
      media_devices: true,
      plugins: 5,
      screen_frame: [0, 0, 0, 40],
    },
    input_events: { trusted: 4, synthetic: 0 },
    // A person's login: two clicks reached along curved paths, eighteen keys typed with a hand's rhythm.
    pointer: { moves: 140, path_px: 1210, presses: 2, without_path: 0, judged_path: 2, linear_path: 0, at_centre: 0, pressure_zero: 0, touch: 0 },
    keys: { keys: 18, gaps: 12, fast_gaps: 1, overlaps: 5, shifted_without_shift: 0, inserted_without_keys: 0, pastes: 0, filled: 0, dwell_median_ms: 96 },
    window: { outer: [1280, 800], inner: [1280, 685], screen: [1366, 900], pixel_ratio: 1, gap: [0, 115], at_load: { gap: [0, 115], pixel_ratio: 1 }, has_focus: true },
    native_functions: [],
    plugins_prototype: true,
    worker_values: { differing: [], webgl_renderer: 'ANGLE (Intel, Mesa Intel(R) UHD Graphics 620)' },
    permissions: { notification: 'default', notification_query: 'prompt', orientation_permission: false },
    fonts: ['Arial', 'DejaVu Sans'],
    media: { widevine: true, speech_voices: 12 },
    storage: { quota_mb: 10240, heap_limit_mb: 4096, indexeddb: 'ok', opfs: 'ok' },
    canvas_readback: { exact: true, stable: true },
    timer_resolution: engine === 'gecko' ? 1 : 0.1,
    ...over,
  };
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { value, ms: 1 }]));
}
