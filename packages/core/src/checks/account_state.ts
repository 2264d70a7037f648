import type { Checks, EvaluationInput, Facts, HistorySnapshot } from '../types.js';
import type { CheckContext } from './context.js';

/**
 * The user's stored state, and whether the page's origin is new to the project. A user seen for the first
 * time has verified nothing and is not suspended. An origin is new when the project never saw it or last
 * saw it more than the origin window (default 90 days) ago; only client evaluations have an origin.
 */
export function accountState(input: EvaluationInput, _facts: Facts, history: HistorySnapshot, ctx: CheckContext): Checks {
  const user = history.user;
  const checks: Checks = {
    is_email_verified: user?.emailVerified ?? false,
    is_phone_verified: user?.phoneVerified ?? false,
    is_suspended: user?.suspended ?? false,
  };
  if (input.channel === 'client' && input.origin) {
    const lastSeenAt = history.originLastSeenAt;
    checks.origin_is_new = lastSeenAt === null || lastSeenAt < ctx.now - ctx.options.originWindowMs;
  }
  return checks;
}
