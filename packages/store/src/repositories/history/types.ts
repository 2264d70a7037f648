/** One `event_count` the policies ask for: evaluations of `action` (`*`: any) in the window, by whom. */
export interface EventCountQuery {
  key: string;
  action: string;
  windowMs: number;
  by: 'user' | 'ip' | 'fingerprint' | 'device';
}

export interface HistoryKey {
  projectId: string;
  userExternalId: string;
  ip: string | null;
  fingerprintHash: string | null;
  deviceCookieId: string | null;
  origin: string | null;
  eventCounts: EventCountQuery[];
  now: number;
  retentionMs: number;
}

/** The ids the store already has for this evaluation's user, device and fingerprint (null: new). */
export interface KnownIds {
  userId: string | null;
  deviceId: string | null;
  fingerprintId: string | null;
  /**
   * The device was found by its fingerprint, not its cookie: a browser whose storage was cleared, or a
   * backend evaluating with `Vigil.getHash()`. The caller gives the device the new cookie, if any.
   */
  relinked?: boolean;
}

export const DAY_MS = 86_400_000;

/**
 * When this evaluation's sightings were last written, as its history read them (null: no row yet).
 * A sighting written within the last minute is not written again (`record.ts`: `sightingsDue`), nor is
 * the user's row when only its last-seen time would move (`unchangedUser`).
 */
export interface LastSightings {
  /** The user on this IP (`user_ips`). */
  ip: number | null;
  /** The user with this fingerprint (`user_fingerprints`), and the device they last used it with. */
  userFingerprint: number | null;
  userFingerprintDeviceId: string | null;
  /** The fingerprint itself (`fingerprints`). */
  fingerprint: number | null;
  /** The project's origin (`project_origins`). */
  origin: number | null;
  /** The user's own row (`users`); null for a user never seen. */
  user: SeenUser | null;
}

/**
 * The user's row as the history read it: what the record needs of it when it does not write it again
 * (record.ts, `unchangedUser`): its id, its last-seen time, its contact and its familiar set's text.
 */
export interface SeenUser {
  id: string;
  lastSeenAt: number;
  email: string | null;
  phone: string | null;
  familiarity: string | null;
}
