import { keepMostFamiliar } from './learn.js';
import { FAMILIARITY_DIMENSIONS, type FamiliarityProfile, type FamiliarValue, MAX_PENDING } from './profile.js';

/**
 * Two familiar sets of one user as one (an import on top of what was learned live): counts add up, the
 * earliest first and latest last sighting win, and the bounds hold (the least familiar values go).
 */
export function mergeProfiles(a: FamiliarityProfile | null, b: FamiliarityProfile | null): FamiliarityProfile | null {
  if (a === null || b === null) return a ?? b;
  const values: FamiliarityProfile['values'] = {};
  for (const dimension of FAMILIARITY_DIMENSIONS) {
    // No prototype, as in learn.ts: values are request data, whatever their names.
    const merged: Record<string, FamiliarValue> = Object.assign(Object.create(null), a.values[dimension]);
    for (const [value, seen] of Object.entries(b.values[dimension] ?? {})) {
      const known = merged[value];
      merged[value] = known ? { count: known.count + seen.count, firstAt: Math.min(known.firstAt, seen.firstAt), lastAt: Math.max(known.lastAt, seen.lastAt) } : seen;
    }
    if (Object.keys(merged).length > 0) values[dimension] = keepMostFamiliar(merged);
  }
  const latest = (b.lastTrustedAt ?? Number.NEGATIVE_INFINITY) > (a.lastTrustedAt ?? Number.NEGATIVE_INFINITY) ? b : a;
  return {
    version: 1,
    trustedLogins: a.trustedLogins + b.trustedLogins,
    lastTrustedAt: latest.lastTrustedAt,
    lastUserAgent: latest.lastUserAgent,
    place: latest.place ?? (latest === a ? b.place : a.place),
    values,
    pending: [...a.pending, ...b.pending].sort((x, y) => x.at - y.at).slice(-MAX_PENDING),
  };
}
