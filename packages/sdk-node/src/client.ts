import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';
import { VigilError } from './errors.js';
import { type Call, type HttpOptions, request } from './http.js';
import { idSegment } from './ids.js';
import { get, post } from './resources/call.js';
import { lists } from './resources/lists.js';
import { challenges, checks, risks, v2Challenges } from './resources/misc.js';
import { policies } from './resources/policies.js';
import { users } from './resources/users.js';
import type { CreateEvaluation, Evaluation } from './types.js';

export interface VigilAPIOptions {
  /** Your Vigil server (default `http://127.0.0.1:8080`, what `npm start` listens on). */
  baseUrl?: string;
  /** How long to wait for an answer before failing with TIMEOUT (default 10 s). */
  timeoutMs?: number;
  /** A fetch to use instead of the global one (a proxy agent, a test double). */
  fetch?: typeof globalThis.fetch;
  /** Extra attempts after a network error, a timeout, a 5xx or a 429 (default 2; 0: none). */
  retries?: number;
  /** The first backoff delay in ms (default 100): doubles each attempt, full jitter, at most 2 s. */
  retryDelayMs?: number;
  /** For tests: the jitter's randomness and the wait. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const evaluationPath = (id: string, suffix = '') => `/v3/evaluations/${idSegment(id, 'an evaluation id')}${suffix}`;

/** The Vigil server API for your backend. Holds the secret key: never ship it to a browser. */
export class VigilAPI {
  readonly #secret: string;
  readonly #http: HttpOptions;

  readonly evaluation: {
    /** Reads an evaluation, with its whole explanation. */
    get(id: string): Promise<Evaluation>;
    /**
     * Marks an evaluation used and returns it; a second consume fails with EVALUATION_ALREADY_CONSUMED (409).
     * `user`: a signup made before the account had an id gets it here (its history follows); for any
     * other evaluation it must be the evaluation's user (else USER_MISMATCH, and nothing is consumed).
     */
    consume(id: string, options?: { user?: string }): Promise<Evaluation>;
  };

  readonly evaluations: {
    /** Creates an evaluation from your backend (the server-side flow). */
    create(input: CreateEvaluation): Promise<Evaluation>;
  };

  readonly policies: ReturnType<typeof policies>;
  readonly lists: ReturnType<typeof lists>;
  readonly users: ReturnType<typeof users>;
  readonly checks: ReturnType<typeof checks>;
  readonly risks: ReturnType<typeof risks>;
  readonly challenges: ReturnType<typeof challenges>;
  readonly #v2: ReturnType<typeof v2Challenges>;

  constructor(secret: string, options: VigilAPIOptions = {}) {
    if (typeof secret !== 'string' || !secret.startsWith('sk_')) {
      throw new VigilError('INVALID_ARGUMENT', 'new VigilAPI(secret) needs your project secret key (sk_…)');
    }
    const timeoutMs = options.timeoutMs ?? 10_000;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new VigilError('INVALID_ARGUMENT', 'timeoutMs must be a positive number');
    const retries = options.retries ?? 2;
    if (!Number.isInteger(retries) || retries < 0 || retries > 10) throw new VigilError('INVALID_ARGUMENT', 'retries must be an integer from 0 to 10');
    this.#secret = secret;
    this.#http = {
      baseUrl: (options.baseUrl ?? 'http://127.0.0.1:8080').replace(/\/+$/, ''),
      timeoutMs,
      fetch: options.fetch ?? globalThis.fetch,
      retries,
      retryDelayMs: options.retryDelayMs ?? 100,
      random: options.random ?? Math.random,
      sleep: options.sleep ?? ((ms) => sleep(ms)),
    };
    const send = <T>(call: Call) => request<T>(this.#secret, this.#http, call);
    this.evaluation = {
      get: async (id) => send<Evaluation>(get(evaluationPath(id))),
      // Not idempotent: the first consume wins and a repeat answers 409, so a lost answer is not retried.
      consume: async (id, options = {}) => send<Evaluation>(post(evaluationPath(id, '/consume'), options.user === undefined ? undefined : { user: options.user }, false)),
    };
    this.evaluations = {
      create: async (input) => {
        if (!input || typeof input !== 'object') throw new VigilError('INVALID_ARGUMENT', 'evaluations.create needs { action, user, … }');
        // Not idempotent either: a retry after a lost answer would record the evaluation twice.
        return send<Evaluation>(post('/v3/evaluations', input, false));
      },
    };
    this.policies = policies(send);
    this.lists = lists(send);
    this.users = users(send);
    this.checks = checks(send);
    this.risks = risks(send);
    this.challenges = challenges(send);
    this.#v2 = v2Challenges(send);
  }

  /**
   * Same as `evaluations.create`, with Rupt v2's `challenge_id` and `fingerprint_id` beside the
   * evaluation, so v2 code (`const { verdict, reasons, challenge_id } = await evaluate(…)`) runs as is.
   */
  async evaluate(input: CreateEvaluation): Promise<Evaluation & { challenge_id: string | null; fingerprint_id: string | null }> {
    const evaluation = await this.evaluations.create(input);
    return { ...evaluation, challenge_id: evaluation.challenge?.id ?? null, fingerprint_id: evaluation.fingerprint ?? null };
  }

  /**
   * Rupt v2: sends the challenge's code (`POST /v2/challenges/{id}/send`). Takes the v2 guide's
   * positional form, `sendChallengeCode(challenge_id)`, or `{ challenge, channel? }`.
   */
  sendChallengeCode(challenge: string | { challenge: string; channel?: 'email' | 'sms' }, channel?: 'email' | 'sms'): Promise<{ success: boolean; challenge_id: string }> {
    return this.#v2.sendChallengeCode(typeof challenge === 'string' ? { challenge, ...(channel ? { channel } : {}) } : challenge);
  }

  /**
   * Rupt v2: checks a code; `{ success: false, attempts_left }` when it is wrong. Takes the v2 guide's
   * positional form, `verifyChallengeCode(challenge_id, code)`, or `{ challenge, code }`.
   */
  verifyChallengeCode(challenge: string | { challenge: string; code: string }, code?: string): Promise<{ success: boolean; attempts_left?: number }> {
    return this.#v2.verifyChallengeCode(typeof challenge === 'string' ? { challenge, code: code as string } : challenge);
  }

  /** Rupt v2: completes a verified challenge. */
  completeChallenge(challenge: string | { challenge: string }): Promise<{ success: boolean }> {
    return this.#v2.completeChallenge(challenge);
  }

  // The secret lives in a private field, so console.log, util.inspect and JSON.stringify never show it.
  [inspect.custom](): string {
    return `VigilAPI { baseUrl: '${this.#http.baseUrl}' }`;
  }

  toJSON(): { baseUrl: string } {
    return { baseUrl: this.#http.baseUrl };
  }
}
