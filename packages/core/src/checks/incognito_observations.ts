import type { Checks, EvaluationInput } from '../types.js';
import { signal } from './signal.js';

interface StorageSignal {
  quota_mb?: unknown;
  heap_limit_mb?: unknown;
  indexeddb?: unknown;
  opfs?: unknown;
}

/**
 * Incognito observations: a private window, whose storage is forgotten when it closes. Which tells still
 * hold was measured on Debian's Chromium 156 and firefox-esr 153 (see the SDK's storage collector):
 * in-memory IndexedDB (Chromium) and a refused origin-private file system (Firefox) do; the quota, the
 * language list and the notification permission read the same in both modes there and only catch older
 * browsers, so their weights stay low.
 */
export function incognitoObservations(input: EvaluationInput): Checks {
  const checks: Checks = {};
  const storage = signal<StorageSignal>(input, 'storage');
  if (storage && typeof storage === 'object') {
    const quotaLow = typeof storage.quota_mb === 'number' && typeof storage.heap_limit_mb === 'number' && storage.quota_mb < 2 * storage.heap_limit_mb;
    checks.storage_quota_incognito = storage.indexeddb === 'paged' || storage.opfs === 'refused' || quotaLow;
    // A probe that ran out of time says nothing either way.
    if (storage.indexeddb === 'ok' || storage.indexeddb === 'paged' || storage.indexeddb === 'failed') checks.indexeddb_failures = storage.indexeddb === 'failed';
  }
  const permissions = signal<{ notification?: unknown; notification_query?: unknown }>(input, 'permissions');
  if (permissions && typeof permissions.notification === 'string' && typeof permissions.notification_query === 'string') {
    // Chrome's incognito used to deny notifications without asking: denied in both APIs at once.
    checks.notifications_private_spoof = permissions.notification === 'denied' && permissions.notification_query === 'denied';
    // Safari's private windows kept every permission at "prompt" even once answered; a Notification
    // that says granted or denied while the Permissions API still says prompt is that.
    checks.permissions_stuck_prompt = permissions.notification !== 'default' && permissions.notification_query === 'prompt';
  }
  const languages = signal<string[]>(input, 'languages');
  const engine = signal<string>(input, 'engine');
  // Chromium lists a regional language with its base ("en-US", "en"); an incognito profile that reduces
  // the list to one regional entry lost the rest.
  if (Array.isArray(languages) && engine === 'blink') checks.languages_dedup_incognito = languages.length === 1 && languages[0]!.includes('-');
  return checks;
}
