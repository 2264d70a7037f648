import { describe, expect, it } from 'vitest';
import { incognitoObservations } from './incognito_observations.js';
import { browserSignals, input } from './test-support/fixtures.js';

const normal = { storage_quota_incognito: false, indexeddb_failures: false, notifications_private_spoof: false, permissions_stuck_prompt: false, languages_dedup_incognito: false };

describe('incognito observations', () => {
  it('sees a normal window as one', () => {
    expect(incognitoObservations(input({ signals: browserSignals('blink') }))).toEqual(normal);
    const { languages_dedup_incognito: _, ...firefox } = normal;
    expect(incognitoObservations(input({ signals: browserSignals('gecko') }))).toEqual(firefox);
  });

  it('catches the storage of a private window: in-memory IndexedDB, a refused OPFS, a small quota, a failing IndexedDB', () => {
    const storage = (over: object) => input({ signals: browserSignals('blink', { storage: { quota_mb: 10240, heap_limit_mb: 4096, indexeddb: 'ok', opfs: 'ok', ...over } }) });
    expect(incognitoObservations(storage({ indexeddb: 'paged' })).storage_quota_incognito).toBe(true);
    expect(incognitoObservations(storage({ opfs: 'refused' })).storage_quota_incognito).toBe(true);
    expect(incognitoObservations(storage({ quota_mb: 120 })).storage_quota_incognito).toBe(true);
    expect(incognitoObservations(storage({ indexeddb: 'failed' }))).toMatchObject({ indexeddb_failures: true, storage_quota_incognito: false });
    expect(incognitoObservations(storage({ indexeddb: 'absent' })).indexeddb_failures).toBeUndefined();
  });

  it('reads the older permission and language tells', () => {
    const perms = (notification: string, notification_query: string) =>
      incognitoObservations(input({ signals: browserSignals('blink', { permissions: { notification, notification_query, orientation_permission: false } }) }));
    expect(perms('denied', 'denied').notifications_private_spoof).toBe(true);
    expect(perms('granted', 'prompt').permissions_stuck_prompt).toBe(true);
    expect(perms('granted', 'granted')).toMatchObject({ permissions_stuck_prompt: false, notifications_private_spoof: false });
    expect(incognitoObservations(input({ signals: browserSignals('blink', { languages: ['en-US'] }) })).languages_dedup_incognito).toBe(true);
    expect(incognitoObservations(input({ signals: browserSignals('blink', { languages: ['en'] }) })).languages_dedup_incognito).toBe(false);
  });

  it('is absent without signals', () => {
    expect(incognitoObservations(input())).toEqual({});
  });
});
