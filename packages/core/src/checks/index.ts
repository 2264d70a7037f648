import type { Checks, EvaluationInput, Facts, HistorySnapshot } from '../types.js';
import { accountState } from './account_state.js';
import { antiFingerprintingObservations } from './anti_fingerprinting_observations.js';
import { botBehaviour } from './bot_behaviour.js';
import { botObservations } from './bot_observations.js';
import { concurrentSessions } from './concurrent_sessions.js';
import type { CheckContext } from './context.js';
import { deviceCounts } from './device_counts.js';
import { emailQuality } from './email_quality.js';
import { familiarity } from './familiarity.js';
import { geography } from './geography.js';
import { identityNewness } from './identity_newness.js';
import { incognitoObservations } from './incognito_observations.js';
import { lists } from './lists.js';
import { networkReputation } from './network_reputation.js';
import { phoneQuality } from './phone_quality.js';
import { replayObservations } from './replay_observations.js';
import { tamperingObservations } from './tampering_observations.js';
import { velocity } from './velocity.js';

/**
 * A check family: the checks it can know for this evaluation, from the evaluation, what intel knows
 * about its values (`facts`), the user's history as of `ctx.now`, and the options. Pure. A family that
 * needs fewer arguments declares fewer.
 */
export type CheckFamily = (input: EvaluationInput, facts: Facts, history: HistorySnapshot, ctx: CheckContext) => Checks;

/**
 * Every check family, in the order their checks appear in an evaluation (the registry's order). A new
 * family is one line here, and its checks a few rows in `registry.ts`.
 */
export const checkFamilies: readonly CheckFamily[] = [
  identityNewness,
  familiarity,
  networkReputation,
  geography,
  concurrentSessions,
  velocity,
  deviceCounts,
  emailQuality,
  phoneQuality,
  accountState,
  lists,
  botObservations,
  botBehaviour,
  tamperingObservations,
  antiFingerprintingObservations,
  incognitoObservations,
  replayObservations,
];

export function computeChecks(input: EvaluationInput, facts: Facts, history: HistorySnapshot, ctx: CheckContext): Checks {
  const checks: Checks = {};
  for (const family of checkFamilies) Object.assign(checks, family(input, facts, history, ctx));
  return checks;
}
