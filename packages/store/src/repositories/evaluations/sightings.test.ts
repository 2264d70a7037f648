import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type NewEvaluation, newId, type Store } from '../../index.js';
import { migratedWithProject, storeDialects } from '../../test-support/dialects.js';
import { historyKey, newEvaluation } from '../../test-support/new-evaluation.js';

// A sighting ("this user on this IP", "with this fingerprint", the fingerprint's and the origin's own
// rows) is moved at most once a minute, from what the evaluation's history read of it: as evaluate.ts
// does, each evaluation here loads its history and records with what it read.
const t0 = Date.UTC(2026, 11, 6, 9, 0, 0);
const MINUTE = 60_000;

describe.each(Object.entries(storeDialects()))('sightings on %s', (_dialect, open) => {
  let store: Store;
  let projectId: string;
  beforeEach(async () => {
    ({ store, projectId } = await migratedWithProject(open, t0));
  });
  afterEach(() => store.close());

  type Sent = Partial<Pick<NewEvaluation, 'ip' | 'fingerprintHash' | 'deviceCookieId' | 'origin' | 'channel'>>;
  /** Loads `user`'s history and records an evaluation with what it read, at `now`. */
  const evaluate = (user: string, now: number, sent: Sent = {}) => {
    const e = { ip: '203.0.113.7', fingerprintHash: 'fp-1', deviceCookieId: null, origin: null, ...sent };
    return store.evaluating([`user:${user}`], async (scope) => {
      const { snapshot, ids, lastSightings } = await scope.history.load(
        historyKey(projectId, user, { ip: e.ip, fingerprintHash: e.fingerprintHash, deviceCookieId: e.deviceCookieId, origin: e.origin, now }),
      );
      await scope.record(
        newEvaluation(projectId, user, {
          ...e,
          deviceId: ids.deviceId ?? (e.deviceCookieId ? newId('dv', now) : null),
          ...(ids.relinked ? { relinkedDevice: true } : {}),
          fingerprintId: ids.fingerprintId ?? (e.fingerprintHash ? newId('fp', now) : null),
          lastSightings,
          now,
        }),
      );
      return snapshot;
    });
  };
  const times = (rows: { first_seen_at: number; last_seen_at: number }[]) => rows.map((r) => [Number(r.first_seen_at), Number(r.last_seen_at)]);
  const sightings = async () => ({
    ip: times(await store.db.selectFrom('user_ips').select(['first_seen_at', 'last_seen_at']).where('project_id', '=', projectId).execute()),
    userFingerprint: times(await store.db.selectFrom('user_fingerprints').select(['first_seen_at', 'last_seen_at']).where('project_id', '=', projectId).execute()),
    fingerprint: times(await store.db.selectFrom('fingerprints').select(['first_seen_at', 'last_seen_at']).where('project_id', '=', projectId).execute()),
    origin: times(await store.db.selectFrom('project_origins').select(['first_seen_at', 'last_seen_at']).where('project_id', '=', projectId).execute()),
  });
  const allAt = (first: number, last: number) => ({ ip: [[first, last]], userFingerprint: [[first, last]], fingerprint: [[first, last]], origin: [[first, last]] });
  const browser: Sent = { channel: 'client', origin: 'https://shop.example' };

  it('writes them the first time, skips them within a minute of the last, and moves them once a minute has passed', async () => {
    await evaluate('alice', t0, browser);
    expect(await sightings()).toEqual(allAt(t0, t0));
    await evaluate('alice', t0 + MINUTE - 1_000, browser);
    expect(await sightings()).toEqual(allAt(t0, t0));
    await evaluate('alice', t0 + MINUTE, browser);
    expect(await sightings()).toEqual(allAt(t0, t0 + MINUTE));
    // Every evaluation is kept whole either way, naming the fingerprint the first one stored.
    const rows = await store.db.selectFrom('evaluations').select(['ip', 'fingerprint_id', 'origin']).where('project_id', '=', projectId).execute();
    const [fingerprint] = await store.db.selectFrom('fingerprints').select('id').where('project_id', '=', projectId).execute();
    expect(rows).toEqual(Array.from({ length: 3 }, () => ({ ip: '203.0.113.7', fingerprint_id: fingerprint!.id, origin: 'https://shop.example' })));
  });

  it('still reads what a skipped write would have said: the IP and fingerprint known, every user counted', async () => {
    await evaluate('alice', t0);
    const again = await evaluate('alice', t0 + 10_000);
    expect(again).toMatchObject({ ipLastSeenAt: t0, fingerprintLastSeenAt: t0, ipUserCount: 1, fingerprintUserCount: 1 });
    // Another user on the same IP and fingerprint within the minute has no row of their own yet: written.
    await evaluate('bob', t0 + 20_000);
    expect(await evaluate('carol', t0 + 30_000)).toMatchObject({ ipLastSeenAt: null, ipUserCount: 3, fingerprintUserCount: 3 });
    expect((await sightings()).ip).toEqual([
      [t0, t0],
      [t0 + 20_000, t0 + 20_000],
      [t0 + 30_000, t0 + 30_000],
    ]);
  });

  it('writes a fingerprint used with another device at once: re-linking a cleared cookie reads its last device', async () => {
    await evaluate('alice', t0, { deviceCookieId: 'cookie-b', fingerprintHash: 'fp-2' });
    await evaluate('alice', t0 + 1_000, { deviceCookieId: 'cookie-a' });
    // A device the store knows by its cookie, with the fingerprint last used with the other one.
    await evaluate('alice', t0 + 10_000, { deviceCookieId: 'cookie-b' });
    const [row] = await store.db
      .selectFrom('user_fingerprints')
      .innerJoin('fingerprints', 'fingerprints.id', 'user_fingerprints.fingerprint_id')
      .select(['user_fingerprints.last_seen_at', 'user_fingerprints.last_device_id'])
      .where('fingerprints.hash', '=', 'fp-1')
      .execute();
    const [deviceB] = await store.db.selectFrom('devices').select('id').where('cookie_id', '=', 'cookie-b').execute();
    expect({ lastSeenAt: Number(row!.last_seen_at), lastDeviceId: row!.last_device_id }).toEqual({ lastSeenAt: t0 + 10_000, lastDeviceId: deviceB!.id });
    // The device's own sightings move every time: logging a device out compares its last-seen time.
    await evaluate('alice', t0 + 20_000, { deviceCookieId: 'cookie-b' });
    const devices = await store.db.selectFrom('user_devices').select('last_seen_at').where('project_id', '=', projectId).orderBy('last_seen_at').execute();
    expect(devices.map((d) => Number(d.last_seen_at))).toEqual([t0 + 1_000, t0 + 20_000]);
  });

  it('writes every sighting when the history did not say when they were last written', async () => {
    await evaluate('alice', t0, browser);
    await store.evaluating(['user:alice'], (scope) =>
      scope.record(newEvaluation(projectId, 'alice', { ...browser, fingerprintHash: 'fp-1', fingerprintId: null, now: t0 + 1_000 })),
    );
    expect(await sightings()).toEqual(allAt(t0, t0 + 1_000));
  });
});
