import { idSegment } from '../ids.js';
import type { Policy, PolicyInput, PolicyTestResult, PolicyVersion } from '../types.js';
import { del, get, post, put, type Send } from './call.js';

const path = (id: string, suffix = '') => `/v3/policies/${idSegment(id, 'a policy id')}${suffix}`;

export function policies(send: Send) {
  return {
    create: (policy: PolicyInput) => send<Policy>(post('/v3/policies', policy, false)),
    list: async () => (await send<{ data: Policy[] }>(get('/v3/policies'))).data,
    get: async (id: string) => send<Policy>(get(path(id))),
    /** Replaces the policy: a new version. */
    update: async (id: string, policy: PolicyInput) => send<Policy>(put(path(id), policy)),
    delete: async (id: string) => send<void>(del(path(id))),
    versions: async (id: string) => (await send<{ data: PolicyVersion[] }>(get(path(id, '/versions')))).data,
    enable: async (id: string) => send<Policy>(post(path(id, '/enable'), undefined, true)),
    disable: async (id: string) => send<Policy>(post(path(id, '/disable'), undefined, true)),
    /** Sets the order the policies run in: every policy's id, first to run first. Answers them in that order. */
    reorder: async (order: string[]) => (await send<{ data: Policy[] }>(post('/v3/policies/reorder', { order }, true))).data,
    /** Runs a draft over the last `days` of evaluations; nothing is saved. */
    test: (input: { policy: PolicyInput & { id?: string }; days?: number }) => send<PolicyTestResult>(post('/v3/policies/test', input, true)),
  };
}
