import type { Checks, EvaluationInput, HistorySnapshot } from '../types.js';
import type { CheckContext } from './context.js';

const DAY_MS = 86_400_000;

/** Something is new for this user when it was never seen, or last seen before the retention window. */
function isNew(lastSeenAt: number | null, ctx: CheckContext): boolean {
  return lastSeenAt === null || lastSeenAt < ctx.now - ctx.options.retentionMs;
}

export function identityNewness(input: EvaluationInput, history: HistorySnapshot, ctx: CheckContext): Checks {
  const checks: Checks = {};
  const firstEvaluation = history.user === null;
  checks.is_new_user = firstEvaluation;
  checks.user_age_days = firstEvaluation ? 0 : Math.max(0, Math.floor((ctx.now - history.user!.firstSeenAt) / DAY_MS));
  // The very first evaluation of a user makes its IP, fingerprint and device new too; a signal the
  // caller could not supply (a backend without an IP, say) leaves its check absent.
  if (input.ip) checks.is_new_ip = firstEvaluation || isNew(history.ipLastSeenAt, ctx);
  if (input.fingerprint) checks.is_new_fingerprint = firstEvaluation || isNew(history.fingerprintLastSeenAt, ctx);
  if (input.channel === 'client' && input.hasDeviceCookie) {
    checks.is_new_device = firstEvaluation || isNew(history.deviceLastSeenAt, ctx);
  }
  return checks;
}
