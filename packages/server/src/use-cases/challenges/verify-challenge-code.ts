import type { ChallengeRecord, CodeJudgement } from '@vigil/store';
import { hashCode, MAX_ATTEMPTS } from '../../challenges/verification.js';
import { AppError } from '../../errors/codes.js';
import type { Deps } from '../deps.js';
import { settleLogin } from '../familiarity/settle-login.js';
import { announceChallenge } from './announce.js';
import { guardChallenge } from './guard.js';
import { CODE_SECRET } from './send-challenge-code.js';

/**
 * Judges an entered code. The attempt is claimed in the store before the code is compared, so five
 * attempts are five however many arrive at once. Passing verifies the contact the code went to; with
 * `complete` (the hosted page) it also completes the challenge, else (the API) a `complete` call does.
 */
export async function verifyChallengeCode(deps: Deps, challenge: ChallengeRecord, given: string, options: { complete: boolean }): Promise<CodeJudgement> {
  await guardChallenge(deps, challenge);
  const now = deps.now();
  const secret = await deps.store.instanceSecrets.get(CODE_SECRET, now);
  const result = await deps.store.challenges.judgeCode({
    challengeId: challenge.id,
    givenHash: hashCode(secret, challenge.id, given.trim()),
    maxAttempts: MAX_ATTEMPTS,
    passTo: options.complete ? 'completed' : 'verified',
    now,
  });
  if (result.outcome === 'passed' && options.complete) await announceChallenge(deps, challenge.id, 'challenge.completed');
  if (result.outcome === 'failed') await announceChallenge(deps, challenge.id, 'challenge.failed');
  // The person who holds the contact vouched for the login (or five wrong codes said it was not them).
  if (result.outcome === 'passed' || result.outcome === 'failed') {
    await settleLogin(deps, challenge, result.outcome === 'passed' ? 'verified' : 'failed');
  }
  return result;
}

/** The AppError an unsuccessful check answers with on the API. */
export function codeCheckError(result: Exclude<CodeJudgement, { outcome: 'passed' }>, status: string): AppError {
  switch (result.outcome) {
    case 'wrong':
      return new AppError('CHALLENGE_CODE_INVALID', `Wrong code: ${result.attemptsLeft} attempt${result.attemptsLeft === 1 ? '' : 's'} left`);
    case 'failed':
      return new AppError('CHALLENGE_CLOSED', 'Wrong code five times: the challenge failed');
    case 'expired':
      return new AppError('CHALLENGE_CODE_EXPIRED', 'The code expired: send a new one');
    case 'no_code':
      return new AppError('CHALLENGE_NO_CODE', 'No code was sent yet');
    case 'closed':
      return new AppError('CHALLENGE_CLOSED', `This challenge is ${status}`);
  }
}
