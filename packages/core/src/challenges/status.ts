// A challenge's status (SPEC §7) as a closed set, and the one table of the moves between them. Every
// change of status anywhere (the hosted page, the server API, the v2 flow, a newer challenge) is one of
// these moves; the store applies it only when the challenge is still in one of the move's sources, so
// two requests racing (a skip and a verify, two verifies) cannot both move it.

import { CHALLENGE_STATUSES, type ChallengeStatus } from '../closed-sets.js';

export { CHALLENGE_STATUSES, type ChallengeStatus };

/** Where each status may go next. Terminal statuses go nowhere. */
export const challengeTransitions: Readonly<Record<ChallengeStatus, readonly ChallengeStatus[]>> = {
  created: ['presented', 'code_sent', 'completed', 'failed', 'skipped', 'overridden'],
  presented: ['code_sent', 'completed', 'failed', 'skipped', 'overridden'],
  // A resend stays code_sent. Passing the code verifies (v2: completed in a call of its own) or, on the
  // hosted page, completes at once.
  code_sent: ['code_sent', 'verified', 'completed', 'failed', 'skipped', 'overridden'],
  verified: ['completed'],
  completed: [],
  failed: [],
  skipped: [],
  overridden: [],
};

export function isChallengeStatus(value: string): value is ChallengeStatus {
  return (CHALLENGE_STATUSES as readonly string[]).includes(value);
}

export function canMoveChallenge(from: string, to: ChallengeStatus): boolean {
  return isChallengeStatus(from) && challengeTransitions[from].includes(to);
}

/** The statuses a challenge may be in for it to move to `to` (what a conditional UPDATE matches). */
export function challengeSourcesOf(to: ChallengeStatus): ChallengeStatus[] {
  return CHALLENGE_STATUSES.filter((from) => challengeTransitions[from].includes(to));
}

/** Nothing more happens to a challenge in these. */
export function isChallengeClosed(status: string): boolean {
  return !isChallengeStatus(status) || challengeTransitions[status].length === 0;
}
