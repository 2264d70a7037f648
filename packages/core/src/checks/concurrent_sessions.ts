import type { Checks, DeviceActivity, EvaluationInput, Facts, HistorySnapshot } from '../types.js';
import type { CheckContext } from './context.js';
import { travelLeg } from './geography.js';

/**
 * Address kinds whose place is a network's, not the person's: a conflict is a lasting claim that two
 * people share the account, so it is never drawn from such a place (impossible travel, a single
 * evaluation's check, still weighs VPN and proxy places; SPEC §4 exempts only relays there).
 */
const placeIsNotThePerson = new Set(['relay', 'vpn', 'proxy', 'tor', 'hosting']);
const ipHidesPlace = (facts: Facts) => facts.ip !== null && (placeIsNotThePerson.has(facts.ip.type) || facts.ip.types.some((t) => placeIsNotThePerson.has(t)));

/**
 * When this device's current session began: walking its recent activity back from `now`, the session
 * goes on while each gap is shorter than the session window, and starts at the oldest activity of that
 * run (`now` when nothing is within the window: the device has just arrived).
 */
export function sessionStartOf(recentActivity: readonly number[], now: number, sessionWindowMs: number): number {
  // The store sends newest first; sort anyway, and ignore anything after `now` (history is as of now).
  const times = recentActivity.filter((t) => t <= now).sort((a, b) => b - a);
  let start = now;
  for (const t of times) {
    if (start - t >= sessionWindowMs) break;
    start = t;
  }
  return start;
}

/**
 * The user's other devices active while this one is (SPEC §4): seen within the session window, and not
 * before this device's session began. A device that went silent before this one took over is a
 * hand-over (laptop to phone), not a second session; two devices alternating within the window are
 * concurrent. Devices whose last activity is after `now` (an out-of-order arrival) are not counted:
 * whether they were active at `now` is unknown. Empty without a device id.
 */
export function concurrentDevices(input: EvaluationInput, history: HistorySnapshot, ctx: CheckContext): DeviceActivity[] {
  if (!input.deviceId) return [];
  const windowMs = ctx.options.sessionWindowMs;
  const since = Math.max(ctx.now - windowMs, sessionStartOf(history.deviceRecentActivity, ctx.now, windowMs));
  return history.devices.filter((d) => d.deviceId !== input.deviceId && d.lastSeenAt >= since && d.lastSeenAt <= ctx.now);
}

/**
 * `concurrent_sessions`: the account is live in two places at once (Rupt's flag), and
 * `concurrent_session_count`: how many other devices of this user are active right now, for policies that
 * want more than one. Both absent without a device id.
 */
export function concurrentSessions(input: EvaluationInput, _facts: Facts, history: HistorySnapshot, ctx: CheckContext): Checks {
  if (!input.deviceId) return {};
  const count = concurrentDevices(input, history, ctx).length;
  return { concurrent_sessions: count > 0, concurrent_session_count: count };
}

const samePair = (a: readonly [string, string], b: readonly [string, string]) => (a[0] === b[0] && a[1] === b[1]) || (a[0] === b[1] && a[1] === b[0]);

/**
 * Device pairs this evaluation shows cannot be one person's (SPEC §8), not yet recorded: this device and
 * each concurrent device whose last place is too far from here for one person, that is, travel between
 * the two would be impossible travel (farther than both geolocations' uncertainty, faster than
 * 1,000 km/h). Only city-precision places and no relay on either side, as for impossible travel, and
 * no place of this evaluation's from a VPN, proxy, Tor or hosting address either; the caller records
 * them (`record_device_conflict`) and they feed `people_count`.
 */
export function deviceConflictsFor(input: EvaluationInput, facts: Facts, history: HistorySnapshot, ctx: CheckContext): [string, string][] {
  const here = facts.ip?.location ?? null;
  if (!input.deviceId || here === null) return [];
  const thisDevice = input.deviceId;
  const hidden = ipHidesPlace(facts);
  const conflicts: [string, string][] = [];
  for (const d of concurrentDevices(input, history, ctx)) {
    if (d.lastLocation === null) continue;
    const leg = travelLeg({ at: d.lastSeenAt, location: d.lastLocation, relay: lastPlaceWasRelay(d, history) }, { at: ctx.now, location: here, relay: hidden });
    if (!leg.impossible) continue;
    const pair: [string, string] = [thisDevice, d.deviceId];
    if (!history.deviceConflicts.some((known) => samePair(known, pair))) conflicts.push(pair);
  }
  return conflicts;
}

/**
 * `DeviceActivity` does not say whether its last place came from a relay. When that last activity is
 * the user's previous located evaluation, the snapshot does say so; otherwise the place is taken as is.
 */
function lastPlaceWasRelay(d: DeviceActivity, history: HistorySnapshot): boolean {
  const before = history.locatedBefore;
  return before?.relay === true && before.deviceId === d.deviceId && before.at === d.lastSeenAt;
}
