import type { Checks, EvaluationInput, Facts, HistorySnapshot } from '../types.js';
import type { CheckContext } from './context.js';

const DAY_MS = 86_400_000;

/** Something is new for this user when it was never seen, or last seen before the retention window. */
function isNew(lastSeenAt: number | null, ctx: CheckContext): boolean {
  return lastSeenAt === null || lastSeenAt < ctx.now - ctx.options.retentionMs;
}

export function identityNewness(input: EvaluationInput, _facts: Facts, history: HistorySnapshot, ctx: CheckContext): Checks {
  const checks: Checks = {};
  const firstEvaluation = history.user === null;
  checks.is_new_user = firstEvaluation;
  // The very first evaluation of a user makes its IP, fingerprint and device new too; a signal the
  // caller could not supply (a backend without an IP, say) leaves its check absent.
  if (input.ip) checks.is_new_ip = firstEvaluation || isNew(history.ipLastSeenAt, ctx);
  if (input.fingerprint) checks.is_new_fingerprint = firstEvaluation || isNew(history.fingerprintLastSeenAt, ctx);
  // A device is known by its cookie, or re-linked by its fingerprint (storage cleared, or a backend
  // evaluating with Vigil.getHash()); without either there is no device to call new.
  if (input.deviceId) checks.is_new_device = firstEvaluation || isNew(history.deviceLastSeenAt, ctx);
  checks.user_age_days = firstEvaluation ? 0 : Math.max(0, Math.floor((ctx.now - history.user!.firstSeenAt) / DAY_MS));
  // How many users (this one included) share the value; absent when the evaluation has no such value or
  // the store could not count.
  if (input.fingerprint && history.fingerprintUserCount !== null) checks.fingerprint_user_count = history.fingerprintUserCount;
  if (input.deviceId && history.deviceUserCount !== null) checks.device_user_count = history.deviceUserCount;
  if (input.ip && history.ipUserCount !== null) checks.ip_user_count = history.ipUserCount;
  return checks;
}
