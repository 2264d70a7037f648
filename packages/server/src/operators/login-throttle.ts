import type { Counters } from '../rate-limits/counters.js';

export interface LoginLimits {
  /** Tries per account (its email, in any case) per window. */
  perAccount: number;
  /** Tries per client address per window. */
  perAddress: number;
  windowMs: number;
}

export type LoginSlot = { allowed: false; waitMs: number } | { allowed: true; succeeded: () => Promise<void> };

/**
 * Dashboard login attempts, counted per account and per client address over a sliding window: past a
 * limit, that account (or address) waits until enough of its tries have slid out of the window. Guessing
 * a password then costs days, not minutes, while a legitimate operator who mistypes is never locked out
 * for long. Hand-written rather than a rate-limit plugin: those count requests per key and answer JSON,
 * where this counts tries under two keys at once, gives successes back, and the login page answers a page.
 *
 * Counted in the rate limits' `Counters` (the same instance the RateLimiter uses), so with Redis
 * (REDIS_URL) every node shares one brake; in memory, each node has its own allowance. The window is the
 * port's sliding-window approximation (two fixed windows, the previous one weighted by how much of it
 * still overlaps), not an exact log of attempt times: ten tries at the start of a fixed window keep the
 * account waiting a little longer than fifteen minutes (until the weighted count leaves room for one),
 * and tries at the end of one start fading as soon as the next begins.
 *
 * An attempt takes its slot before the password is checked, not after: checking takes ~100 ms
 * (scrypt), and a count made only once it failed let every guess sent in parallel within that time be
 * judged. Each `hit` is atomic in the counters, so parallel tries never both get the last slot. A success
 * gives its slot back: the account's count starts over, the address gives back only this try's slot.
 */
export class LoginThrottle {
  constructor(
    private readonly counters: Counters,
    private readonly now: () => number,
    private readonly limits: LoginLimits = { perAccount: 10, perAddress: 50, windowMs: 15 * 60_000 },
  ) {}

  /**
   * Takes a slot for one try of this account from this address, or answers how long to wait (nothing
   * left taken): the account is counted first, then the address; refused there, the account's slot is
   * given back. `waitMs` is the wait of the key that refused.
   */
  async attempt(email: string, address: string): Promise<LoginSlot> {
    const { perAccount, perAddress, windowMs } = this.limits;
    const now = this.now();
    // Namespaced apart from the RateLimiter's `<family>\u0000<key>` keys, which share the counters.
    const account = `login_account\u0000${email.toLowerCase()}`;
    const byAddress = `login_address\u0000${address}`;
    const accountHit = await this.counters.hit(account, windowMs, perAccount, now);
    if (!accountHit.allowed) return { allowed: false, waitMs: accountHit.retryAfterMs };
    const addressHit = await this.counters.hit(byAddress, windowMs, perAddress, now);
    if (!addressHit.allowed) {
      await this.counters.release(account, windowMs, now);
      return { allowed: false, waitMs: addressHit.retryAfterMs };
    }
    return {
      allowed: true,
      // The account's count starts over; the address gives back only this try's slot (one good password
      // does not vouch for the other tries from there), from the window it was counted in.
      succeeded: async () => {
        await Promise.all([this.counters.reset(account, windowMs, this.now()), this.counters.release(byAddress, windowMs, now)]);
      },
    };
  }
}
