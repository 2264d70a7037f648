import { describe, expect, it } from 'vitest';
import { velocity } from './velocity.js';
import { facts, history, input } from './test-support/fixtures.js';

describe('velocity', () => {
  it('failed challenges of the last day, when the store counted them', () => {
    expect(velocity(input(), facts(), history({ failedChallengesLastDay: 2 }))).toEqual({ failed_challenges_last_day: 2 });
    expect(velocity(input(), facts(), history({ failedChallengesLastDay: 0 }))).toEqual({ failed_challenges_last_day: 0 });
    expect(velocity(input(), facts(), history())).toEqual({});
  });

  it('leaves event_count to the policies (it is parameterised)', () => {
    expect(velocity(input(), facts(), history({ eventCounts: { 'payment|10m|user': 6 } }))).toEqual({});
  });
});
