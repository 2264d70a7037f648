import { idSegment } from '../ids.js';
import type { ChallengeRecord, CheckDefinition } from '../types.js';
import { get, put, type Send } from './call.js';

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
  return { get: async (id: string) => send<ChallengeRecord>(get(`/v3/challenges/${idSegment(id, 'a challenge id')}`)) };
}
