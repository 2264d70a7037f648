import type { Checks, EvaluationInput, Facts, GeoLocation, HistorySnapshot, LocatedEvaluation } from '../types.js';
import type { CheckContext } from './context.js';

/** The mean Earth radius (IUGG), in km. */
export const EARTH_RADIUS_KM = 6371.0088;
/** Faster than this between two places, no one travels (an airliner cruises at ~900 km/h). */
export const IMPOSSIBLE_SPEED_KMH = 1000;
/** A city-precision geolocation is never trusted to better than this radius. */
export const MIN_UNCERTAINTY_KM = 100;
/**
 * Elapsed time below this counts as this: two evaluations a few ms apart 150 km apart would otherwise
 * give an astronomical speed out of what is mostly geolocation noise.
 */
export const MIN_ELAPSED_MS = 60_000;

const HOUR_MS = 3_600_000;
const toRadians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle distance in km between two points (haversine, on the mean Earth radius). */
export function greatCircleKm(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const dLat = toRadians(b.latitude - a.latitude);
  const dLon = toRadians(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRadians(a.latitude)) * Math.cos(toRadians(b.latitude)) * Math.sin(dLon / 2) ** 2;
  // min(): rounding can push h a hair above 1 for antipodal points, and asin(>1) is NaN.
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * How far apart two geolocated places may be and still be the same place: the sum of both radii, each at
 * least 100 km. A country-precision location's radius already is the size of its country.
 */
export function combinedUncertaintyKm(a: GeoLocation, b: GeoLocation): number {
  return Math.max(a.accuracyKm, MIN_UNCERTAINTY_KM) + Math.max(b.accuracyKm, MIN_UNCERTAINTY_KM);
}

/** Speed in km/h over `elapsedMs`, the elapsed time floored at one minute. */
export function speedKmh(distanceKm: number, elapsedMs: number): number {
  return distanceKm / (Math.max(Math.abs(elapsedMs), MIN_ELAPSED_MS) / HOUR_MS);
}

/**
 * The address is a privacy network (relay, VPN, proxy, Tor): its place is the network's exit, not the
 * person's. Such a place never raises country change or impossible travel by itself: being behind one is
 * already its own signal (`ip_is_vpn` and the others).
 */
export function ipIsPrivacyNetwork(facts: Facts): boolean {
  const ip = facts.ip;
  if (ip === null) return false;
  return privacyTypes.some((t) => ip.type === t || ip.types.includes(t));
}
const privacyTypes = ['relay', 'vpn', 'proxy', 'tor'] as const;

/** One place at one time, and whether it can prove anything about where a person was. */
export interface Sighting {
  at: number;
  location: GeoLocation;
  relay: boolean;
}

export interface TravelLeg {
  distanceKm: number;
  speedKmh: number;
  /** Faster than anyone travels, farther than both geolocations' uncertainty, and neither place a relay or country-only. */
  impossible: boolean;
}

/**
 * The travel between two sightings. Relay and country-only places never raise impossible travel alone
 * (SPEC §4): a relay's place is the relay's, and a country centroid says little about where someone is.
 */
export function travelLeg(a: Sighting, b: Sighting): TravelLeg {
  const distanceKm = greatCircleKm(a.location, b.location);
  const speed = speedKmh(distanceKm, b.at - a.at);
  const trustworthy = !a.relay && !b.relay && a.location.precision === 'city' && b.location.precision === 'city';
  return {
    distanceKm,
    speedKmh: speed,
    impossible: trustworthy && speed > IMPOSSIBLE_SPEED_KMH && distanceKm > combinedUncertaintyKm(a.location, b.location),
  };
}

function sightingOf(e: LocatedEvaluation): Sighting {
  return { at: e.at, location: e.location, relay: e.relay };
}

/**
 * Impossible travel between this evaluation's place (at `now`) and its neighbours in time: the user's
 * located evaluation just before, and, when this one arrived out of order, the one just after it. The
 * distance and speed reported are the fastest leg's. Without a place now, nothing is knowable; without a
 * neighbour, it is knowable that there was no travel (`impossible_travel` false, no distance or speed).
 * `country_change` compares the country with the previous place's: false for the first. The previous place
 * is the last trusted login's (see `HistorySnapshot.locatedBefore`), so an attacker's foreign login does
 * not become the place the owner's next login is compared with. A privacy network's place (relay, VPN,
 * proxy, Tor) is treated as a relay's: it proves no travel and no country change.
 */
export function geography(_input: EvaluationInput, facts: Facts, history: HistorySnapshot, ctx: CheckContext): Checks {
  const checks: Checks = {};
  const location = facts.ip?.location ?? null;
  const privacy = ipIsPrivacyNetwork(facts);
  if (location !== null) Object.assign(checks, travelChecks({ at: ctx.now, location, relay: privacy }, history));
  const country = facts.ip?.country ?? null;
  if (privacy) {
    if (country !== null) checks.country_change = false;
  } else if (country !== null) {
    if (history.locatedBefore === null) checks.country_change = false;
    else if (history.locatedBefore.country !== null) checks.country_change = country !== history.locatedBefore.country;
  }
  return checks;
}

/** Travel from this evaluation's neighbours in time to here; reported from the fastest leg. */
function travelChecks(here: Sighting, history: HistorySnapshot): Checks {
  const checks: Checks = {};
  const neighbours = [history.locatedBefore, history.locatedAfter].filter((e): e is LocatedEvaluation => e !== null);
  const legs = neighbours.map((n) => travelLeg(sightingOf(n), here));
  checks.impossible_travel = legs.some((leg) => leg.impossible);
  const fastest = legs.reduce<TravelLeg | null>((best, leg) => (best === null || leg.speedKmh > best.speedKmh ? leg : best), null);
  if (fastest !== null) {
    checks.travel_distance_km = Math.round(fastest.distanceKm);
    checks.travel_speed_kmh = Math.round(fastest.speedKmh);
  }
  return checks;
}
