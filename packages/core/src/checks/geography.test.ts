import { describe, expect, it } from 'vitest';
import { geography, greatCircleKm } from './geography.js';
import { HOUR, MINUTE, NOW, ctx, facts, history, input, ipAt, located, places } from './test-support/fixtures.js';

const run = (f: ReturnType<typeof ipAt>, h: ReturnType<typeof history>, now = NOW) => geography(input(), f, h, ctx(now));

describe('greatCircleKm', () => {
  it('is the haversine distance on the mean Earth radius', () => {
    expect(greatCircleKm(places.oslo, places.oslo)).toBe(0);
    expect(greatCircleKm(places.oslo, places.newYork)).toBeCloseTo(5_915, 0);
    expect(greatCircleKm(places.oslo, places.bergen)).toBeCloseTo(305.07, 2);
    expect(greatCircleKm(places.newYork, places.oslo)).toBe(greatCircleKm(places.oslo, places.newYork));
  });

  it('is half the circumference between antipodes, not NaN', () => {
    const d = greatCircleKm({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 180 });
    expect(d).toBeCloseTo(Math.PI * 6371.0088, 6);
  });
});

describe('impossible travel', () => {
  it('Oslo to New York in 1 hour is impossible', () => {
    const checks = run(ipAt(places.newYork, 'US'), history({ locatedBefore: located(NOW - HOUR, places.oslo) }));
    expect(checks).toEqual({ country_change: true, impossible_travel: true, travel_distance_km: 5_915, travel_speed_kmh: 5_915 });
  });

  it('Oslo to New York in 10 hours is a flight (~590 km/h)', () => {
    const checks = run(ipAt(places.newYork, 'US'), history({ locatedBefore: located(NOW - 10 * HOUR, places.oslo) }));
    expect(checks.impossible_travel).toBe(false);
    expect(checks.travel_speed_kmh).toBe(591);
    expect(checks.country_change).toBe(true);
  });

  it("Oslo to Bergen in 5 minutes stays within both places' uncertainty", () => {
    const wide = { ...places.bergen, accuracyKm: 200 };
    const checks = run(ipAt(wide), history({ locatedBefore: located(NOW - 5 * MINUTE, { ...places.oslo, accuracyKm: 200 }) }));
    expect(checks.travel_distance_km).toBe(305);
    expect(checks.travel_speed_kmh).toBeGreaterThan(1_000);
    expect(checks.impossible_travel).toBe(false);
    expect(checks.country_change).toBe(false);
  });

  it('counts a city geolocation as at least 100 km uncertain', () => {
    // Oslo to Drammen (40 km) in one minute: 2,400 km/h of geolocation noise.
    const near = run(ipAt(places.drammen), history({ locatedBefore: located(NOW - MINUTE, places.oslo) }));
    expect(near.impossible_travel).toBe(false);
    // Oslo to Bergen (305 km, accuracies of 25 km counted as 100 each) in 10 minutes: impossible.
    const far = run(ipAt(places.bergen), history({ locatedBefore: located(NOW - 10 * MINUTE, places.oslo) }));
    expect(far.impossible_travel).toBe(true);
    expect(far.travel_speed_kmh).toBe(1_830);
  });

  it('is never raised by a relay, on either side, though distance and speed are reported', () => {
    const relayNow = run(ipAt(places.newYork, 'US', 'relay'), history({ locatedBefore: located(NOW - HOUR, places.oslo) }));
    expect(relayNow).toMatchObject({ impossible_travel: false, travel_distance_km: 5_915, travel_speed_kmh: 5_915 });
    const relayBefore = run(ipAt(places.newYork, 'US'), history({ locatedBefore: located(NOW - HOUR, places.oslo, { relay: true }) }));
    expect(relayBefore.impossible_travel).toBe(false);
    // An address that is a relay among other kinds is a relay too.
    const mixed = facts({ ip: { type: 'hosting', types: ['hosting', 'relay'], asn: 1, country: 'US', location: places.newYork, listAgeDays: 1 } });
    expect(run(mixed, history({ locatedBefore: located(NOW - HOUR, places.oslo) })).impossible_travel).toBe(false);
  });

  it('is never raised by a country-level location alone', () => {
    const countryNow = run(ipAt(places.unitedStates, 'US'), history({ locatedBefore: located(NOW - HOUR, places.oslo) }));
    expect(countryNow.impossible_travel).toBe(false);
    expect(countryNow.travel_speed_kmh).toBeGreaterThan(1_000);
    const countryBefore = run(ipAt(places.newYork, 'US'), history({ locatedBefore: located(NOW - HOUR, places.norway) }));
    expect(countryBefore.impossible_travel).toBe(false);
  });

  it('compares an out-of-order arrival with its true later neighbour', () => {
    // Stored: Oslo at 10:00 and New York at 20:00 (a flight). This evaluation happened at 11:00 in New
    // York and arrives late: one hour after Oslo and nine before New York's neighbour.
    const tenOClock = NOW - 10 * HOUR;
    const h = history({
      locatedBefore: located(tenOClock, places.oslo),
      locatedAfter: located(NOW, places.newYork, { country: 'US' }),
    });
    const late = run(ipAt(places.newYork, 'US'), h, tenOClock + HOUR);
    expect(late.impossible_travel).toBe(true);
    // And one in Oslo at 19:00, one hour before New York: the later neighbour makes it impossible.
    const lateOslo = run(ipAt(places.oslo), h, NOW - HOUR);
    expect(lateOslo).toMatchObject({ impossible_travel: true, travel_speed_kmh: 5_915, country_change: false });
    // At 11:00 in Oslo: none from Oslo before, 5,915 km in nine hours to New York after: a flight.
    expect(run(ipAt(places.oslo), h, tenOClock + HOUR)).toMatchObject({ impossible_travel: false, travel_speed_kmh: 657 });
  });

  it('reports the fastest leg', () => {
    // New York ten hours before (591 km/h), a wide-radius Bergen ten minutes after (1,830 km/h, within uncertainty).
    const h = history({
      locatedBefore: located(NOW - 10 * HOUR, places.newYork, { country: 'US' }),
      locatedAfter: located(NOW + 10 * MINUTE, { ...places.bergen, accuracyKm: 250 }),
    });
    const checks = run(ipAt(places.oslo), h);
    expect(checks).toEqual({ country_change: true, impossible_travel: false, travel_distance_km: 305, travel_speed_kmh: 1_830 });
  });

  it('floors the elapsed time at one minute', () => {
    const checks = run(ipAt(places.bergen), history({ locatedBefore: located(NOW, places.oslo) }));
    expect(checks.travel_speed_kmh).toBe(18_304); // 305.07 km in one minute
    expect(Number.isFinite(checks.travel_speed_kmh)).toBe(true);
  });

  it('knows there was no travel on the first located evaluation', () => {
    expect(run(ipAt(places.oslo), history())).toEqual({ impossible_travel: false, country_change: false });
  });

  it('knows nothing without a place now', () => {
    expect(run(facts(), history({ locatedBefore: located(NOW - HOUR, places.oslo) }))).toEqual({});
    // The country alone still tells a country change.
    expect(run(ipAt(null, 'SE'), history({ locatedBefore: located(NOW - HOUR, places.oslo) }))).toEqual({ country_change: true });
  });

  it('leaves country_change absent when either country is unknown', () => {
    expect(run(ipAt(places.oslo, null), history({ locatedBefore: located(NOW - HOUR, places.oslo) })).country_change).toBeUndefined();
    expect(run(ipAt(places.oslo), history({ locatedBefore: located(NOW - HOUR, places.oslo, { country: null }) })).country_change).toBeUndefined();
  });
});
