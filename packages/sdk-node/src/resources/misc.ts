import { VigilError } from '../errors.js';
import { idSegment } from '../ids.js';
import type { ChallengeRecord, CheckDefinition } from '../types.js';
import { get, post, put, type Send } from './call.js';

export function checks(send: Send) {
  return { list: async () => (await send<{ data: CheckDefinition[] }>(get('/v3/checks'))).data };
}

export function risks(send: Send) {
  return {
    /** The risk tables in force and the project's overrides. */
    get: () => send<{ overrides: Record<string, unknown>; data: Record<string, unknown>[] }>(get('/v3/risks')),
    update: (overrides: Record<string, unknown>) => send<{ overrides: Record<string, unknown>; data: Record<string, unknown>[] }>(put('/v3/risks', overrides)),
  };
}

export function challenges(send: Send) {
  const path = (id: string, action = '') => `/v3/challenges/${idSegment(id, 'a challenge id')}${action}`;
  return {
    get: async (id: string) => send<ChallengeRecord>(get(path(id))),
    // Sending mails or texts a new code and verifying spends an attempt: neither is repeated after a
    // lost answer. Completing is idempotent.
    /** Sends the code (by the challenge's first channel unless told). */
    send: async (id: string, options: { channel?: 'email' | 'sms' } = {}) =>
      send<{ id: string; status: 'code_sent'; channel: 'email' | 'sms' }>(post(path(id, '/send'), options, false)),
    /** Checks the code the user entered; a wrong one rejects with CHALLENGE_CODE_INVALID. */
    verify: async (id: string, code: string) => send<{ id: string; status: 'verified' }>(post(path(id, '/verify'), { code }, false)),
    complete: async (id: string) => send<{ id: string; status: 'completed' }>(post(path(id, '/complete'), undefined, true)),
  };
}

/** The v2 challenge calls, on the v2 paths and shapes (`{ success }`), for code moved from Rupt v2. */
export function v2Challenges(send: Send) {
  const path = (id: string, action: string) => `/v2/challenges/${idSegment(id, 'a challenge id')}${action}`;
  return {
    sendChallengeCode: async (input: { challenge: string; channel?: 'email' | 'sms' }) =>
      send<{ success: boolean; challenge_id: string }>(post(path(input?.challenge, '/send'), input.channel ? { channel: input.channel } : {}, false)),
    /** `{ success: false, attempts_left }` for a wrong code; the fifth fails the challenge. */
    verifyChallengeCode: async (input: { challenge: string; code: string }) => {
      const id = path(input?.challenge, '/verify');
      if (typeof input.code !== 'string') throw new VigilError('INVALID_ARGUMENT', 'verifyChallengeCode needs the code the user entered');
      return send<{ success: boolean; attempts_left?: number }>(post(id, { code: input.code }, false));
    },
    completeChallenge: async (challenge: string | { challenge: string }) =>
      send<{ success: boolean }>(post(path(typeof challenge === 'string' ? challenge : challenge?.challenge, '/complete'), {}, true)),
  };
}
