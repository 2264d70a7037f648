import { VigilError } from './errors.js';
import { collectSignals, prewarmSignals } from './signals/index.js';
import { postJson } from './transport.js';

export interface VigilOptions {
  /** The project's public client id (`cl_…`). */
  clientId: string;
  /** Where your Vigil server is, e.g. `https://vigil.example.com` (defaults to this page's origin). */
  baseUrl?: string;
  /**
   * Called when Vigil has logged this device out of the account (the device-limit challenge), before
   * the SDK sends the user to the policy's logout URL: clear your own session here.
   */
  on_logout?: () => void | Promise<void>;
}

export interface EvaluateOptions {
  /**
   * Your application's id for the user. A signup may leave it out when the account has no id yet: send
   * `email` or `phone` instead, and give the id when your backend consumes the evaluation.
   */
  user?: string;
  email?: string;
  phone?: string;
  /** What the action is about (an order id, a plan): echoed back to your backend, ≤ 50 keys. */
  metadata?: Record<string, string | number | boolean | null>;
}

/** All the browser learns: an id for your backend, and where to send the user for a challenge. */
export interface EvaluateResult {
  evaluation_id: string;
  redirect?: string;
  /** This device was logged out of the account (device-limit challenge); on_logout has been called. */
  logout?: true;
}

const ACTION = /^[a-z][a-z0-9_.:-]{0,63}$/;

export class Vigil {
  readonly #clientId: string;
  readonly #baseUrl: string;
  // Kept for the device-limit challenge, whose logged-out devices are told so by the evaluate answer.
  readonly #onLogout: (() => void | Promise<void>) | undefined;

  /** Evaluates an action. `access` follows a challenge redirect itself; the others return it to you. */
  readonly evaluate: {
    login(options: EvaluateOptions): Promise<EvaluateResult>;
    signup(options: EvaluateOptions): Promise<EvaluateResult>;
    access(options: EvaluateOptions): Promise<EvaluateResult>;
    checkout(options: EvaluateOptions): Promise<EvaluateResult>;
    action(name: string, options: EvaluateOptions): Promise<EvaluateResult>;
  };

  constructor(options: VigilOptions) {
    if (!options || typeof options.clientId !== 'string' || options.clientId === '') {
      throw new VigilError('INVALID_ARGUMENT', 'new Vigil({ clientId }) needs the client id of your project (cl_…)');
    }
    if (options.on_logout !== undefined && typeof options.on_logout !== 'function') {
      throw new VigilError('INVALID_ARGUMENT', 'on_logout must be a function');
    }
    this.#clientId = options.clientId;
    this.#baseUrl = (options.baseUrl ?? location.origin).replace(/\/+$/, '');
    this.#onLogout = options.on_logout;
    prewarmSignals();
    const run = (name: string) => (opts: EvaluateOptions) => this.#evaluate(name, opts);
    this.evaluate = {
      login: run('login'),
      signup: run('signup'),
      access: run('access'),
      checkout: run('checkout'),
      action: (name, opts) => this.#evaluate(name, opts),
    };
  }

  /**
   * The device's fingerprint hash, for backends that evaluate server-side (`POST /v3/evaluations`
   * with `fingerprint`). Needs no client id and makes no request.
   */
  static async getHash(): Promise<string> {
    return (await collectSignals()).fingerprint;
  }

  async #evaluate(action: string, options: EvaluateOptions): Promise<EvaluateResult> {
    if (typeof action !== 'string' || !ACTION.test(action)) {
      throw new VigilError('INVALID_ARGUMENT', `"${String(action)}" is not an action name: use lower case letters, digits and _ . : -`);
    }
    if (!options || typeof options !== 'object') throw new VigilError('INVALID_ARGUMENT', `evaluate.${action}({ user }) needs your id for the user`);
    if (options.user === undefined && action === 'signup') {
      if (!options.email && !options.phone) throw new VigilError('INVALID_ARGUMENT', 'evaluate.signup() without a user needs the email or phone the account is made with');
    } else if (typeof options.user !== 'string' || options.user === '') {
      throw new VigilError('INVALID_ARGUMENT', `evaluate.${action}({ user }) needs your id for the user`);
    }
    // The nonce binds this evaluation to this device's cookie; signals are collected meanwhile.
    const [{ nonce }, signals] = await Promise.all([postJson<{ nonce: string }>(this.#baseUrl, '/v3/client/nonce', { client_id: this.#clientId }), collectSignals()]);
    const result = await postJson<EvaluateResult>(this.#baseUrl, '/v3/client/evaluate', {
      client_id: this.#clientId,
      action,
      ...(options.user !== undefined && { user: options.user }),
      ...(options.email !== undefined && { email: options.email }),
      ...(options.phone !== undefined && { phone: options.phone }),
      ...(options.metadata !== undefined && { metadata: options.metadata }),
      nonce,
      signals,
    });
    if (typeof result?.evaluation_id !== 'string') throw new VigilError('BAD_RESPONSE', 'Vigil answered without an evaluation id');
    // A device-limit challenge logged this device out of the account: the app logs out (on_logout),
    // then the page goes where the policy says.
    if ((result as { logout?: unknown }).logout === true) {
      try {
        await this.#onLogout?.();
      } finally {
        if (result.redirect) location.assign(result.redirect);
      }
      return result.redirect ? { evaluation_id: result.evaluation_id, redirect: result.redirect, logout: true } : { evaluation_id: result.evaluation_id, logout: true };
    }
    // Access protection is client-side only: the page itself goes to the challenge, which brings the
    // user back here (`r`; Vigil only honours it on the origin this evaluation came from).
    if (action === 'access' && result.redirect) location.assign(withReturn(result.redirect));
    return result.redirect ? { evaluation_id: result.evaluation_id, redirect: result.redirect } : { evaluation_id: result.evaluation_id };
  }
}

function withReturn(redirect: string): string {
  try {
    const url = new URL(redirect);
    url.searchParams.set('r', location.href);
    return url.href;
  } catch {
    return redirect;
  }
}
