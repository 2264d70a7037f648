import { describe, expect, it } from 'vitest';
import { replayObservations } from './replay_observations.js';
import { input } from './test-support/fixtures.js';

describe('replay observations', () => {
  it('reads the nonce status of a client evaluation', () => {
    expect(replayObservations(input({ nonce: 'consumed', hasDeviceCookie: true }))).toEqual({
      missing_nonce: false,
      unknown_nonce: false,
      consumed_nonce: true,
      session_expired: false,
      nonce_session_mismatch: false,
      missing_cookie: false,
    });
    expect(replayObservations(input({ nonce: 'valid' })).missing_cookie).toBe(true);
  });

  it('absent for backend evaluations, which have no nonce', () => {
    expect(replayObservations(input({ channel: 'server', nonce: 'missing' }))).toEqual({});
    expect(replayObservations(input())).toEqual({});
  });
});
