import { emptyHistory, type HistorySnapshot } from '@vigil/core';
import { type Kysely, PostgresAdapter } from 'kysely';
import type { Database } from '../../schema.js';
import { crossUserCounts, crossUserCountsOf } from './cross-user-counts.js';
import { eventCounts } from './event-counts.js';
import { identifyingEach, identifyingTogether, resolveIds } from './resolve-ids.js';
import type { HistoryKey, KnownIds, LastSightings } from './types.js';
import { recentlyPassed, userHistory } from './user-history.js';

export type { EventCountQuery, HistoryKey, KnownIds, LastSightings } from './types.js';

/**
 * What the decision needs to know about a user's past, read before deciding, in named steps: the ids
 * the store has for this user, device and fingerprint; what is counted across users; the velocity the
 * policies ask for; and, for a user seen before, their own history.
 */
export function historyRepository(db: Kysely<Database>) {
  // On PostgreSQL, the evaluations sharing a transaction (`db`) are identified together where they can be.
  const identify = db.getExecutor().adapter instanceof PostgresAdapter ? identifyingTogether(db) : identifyingEach(db);
  return {
    /**
     * `listCount`: how many lists the project has (read with the ids); with none, no membership to read.
     * `lastSightings`: when what the evaluation will write was last written, for the record to skip
     * what was written within the minute.
     */
    async load(key: HistoryKey): Promise<{ snapshot: HistorySnapshot; ids: KnownIds; listCount: number; lastSightings: LastSightings }> {
      const resolved = await resolveIds(identify, key);
      const { ids, user, fingerprintLastSeenAt, relinkedLastSeenAt, listCount, counted, devices } = resolved;
      // On PostgreSQL counted with the ids as found; a device re-linked by its fingerprint was known only
      // after, so what is counted for it is read again, as on SQLite.
      const { lastPassedAt, ...counts } = counted !== null && !ids.relinked ? crossUserCountsOf(counted, key, ids) : await crossUserCounts(db, key, ids);
      const passedChallenges = await recentlyPassed(db, ids.userId, ids, lastPassedAt, key.now);
      const velocity = await eventCounts(db, key, ids);
      const seen = resolved.lastSightings;
      // Named, not spread with the origin added: see docs/architecture.md, "Object spreads".
      const lastSightings: LastSightings = {
        ip: seen.ip,
        userFingerprint: seen.userFingerprint,
        userFingerprintDeviceId: seen.userFingerprintDeviceId,
        fingerprint: seen.fingerprint,
        origin: counts.originLastSeenAt,
        user: seen.user,
      };
      if (user === null || ids.userId === null) {
        // A user never seen: nothing in their history, only what is counted across users.
        return { ids, listCount, lastSightings, snapshot: { ...emptyHistory, ...counts, eventCounts: velocity } };
      }
      const own = await userHistory(db, key, { ...ids, userId: ids.userId }, user, devices);
      return {
        ids,
        listCount,
        lastSightings,
        snapshot: {
          user: {
            firstSeenAt: user.first_seen_at,
            emailVerified: user.is_email_verified === 1,
            phoneVerified: user.is_phone_verified === 1,
            suspended: user.is_suspended === 1,
          },
          ipLastSeenAt: user.ip_last_seen_at ?? null,
          fingerprintLastSeenAt,
          deviceLastSeenAt: ids.relinked ? relinkedLastSeenAt : (user.device_last_seen_at ?? null),
          ...own,
          ...counts,
          eventCounts: velocity,
          passedChallenges,
          lists: [],
        },
      };
    },
  };
}

export type HistoryRepository = ReturnType<typeof historyRepository>;
