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
