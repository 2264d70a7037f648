import { describe, expect, it } from 'vitest';
import { CHALLENGE_STATUSES, canMoveChallenge, challengeSourcesOf, isChallengeClosed } from './status.js';

describe('challenge status moves', () => {
  it('closes completed, failed, skipped and overridden for good', () => {
    for (const closed of ['completed', 'failed', 'skipped', 'overridden'] as const) {
      expect(isChallengeClosed(closed)).toBe(true);
      for (const to of CHALLENGE_STATUSES) expect(canMoveChallenge(closed, to)).toBe(false);
    }
    expect(isChallengeClosed('code_sent')).toBe(false);
    // An unknown status (a row written by something else) is treated as closed, never as open.
    expect(isChallengeClosed('hacked')).toBe(true);
  });

  it('lets a verified challenge only complete (it can no longer be skipped, failed or replaced)', () => {
    expect(CHALLENGE_STATUSES.filter((to) => canMoveChallenge('verified', to))).toEqual(['completed']);
  });

  it('answers the sources of a move, which the store matches in its conditional update', () => {
    expect(challengeSourcesOf('verified')).toEqual(['code_sent']);
    expect(challengeSourcesOf('skipped')).toEqual(['created', 'presented', 'code_sent']);
    expect(challengeSourcesOf('completed')).toEqual(['created', 'presented', 'code_sent', 'verified']);
    expect(challengeSourcesOf('created')).toEqual([]);
  });
});
