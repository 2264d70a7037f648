/**
 * Dashboard login attempts, counted per account and per client address over a sliding window: past a
 * limit, that account (or address) waits until its oldest attempt leaves the window. Guessing a password
 * then costs days, not minutes, while a legitimate operator who mistypes is never locked out for long.
 * In memory, per node: an attacker spreading tries over several nodes gets each node's allowance.
 * Hand-written rather than a rate-limit plugin: those count requests per key and answer JSON, where this
 * counts failures under two keys at once and the login page answers a page.
 *
 * An attempt takes its slot before the password is checked, not after: checking takes ~100 ms
 * (scrypt), and a count made only once it failed let every guess sent in parallel within that time be
 * judged. A success gives its slot back.
 */
export class LoginThrottle {
  readonly #attempts = new Map<string, number[]>();

  constructor(
    private readonly now: () => number,
    private readonly limits = { perAccount: 10, perAddress: 50, windowMs: 15 * 60_000, maxKeys: 100_000 },
  ) {}

  /**
   * Takes a slot for one try of this account from this address, or answers how long to wait (nothing
   * taken). Synchronous, so no two requests can both see the last free slot.
   */
  attempt(email: string, address: string): { allowed: false; waitMs: number } | { allowed: true; succeeded: () => void } {
    const now = this.now();
    const keys = [`account:${email.toLowerCase()}`, `address:${address}`] as const;
    const wait = (key: string, limit: number) => {
      const times = this.#recent(key, now);
      return times.length >= limit ? times[times.length - limit]! + this.limits.windowMs - now : 0;
    };
    const waitMs = Math.max(wait(keys[0], this.limits.perAccount), wait(keys[1], this.limits.perAddress));
    if (waitMs > 0) return { allowed: false, waitMs };
    for (const key of keys) {
      // Bounded: a flood of made-up emails cannot grow the map without end (the oldest keys go first).
      if (!this.#attempts.has(key) && this.#attempts.size >= this.limits.maxKeys) this.#attempts.delete(this.#attempts.keys().next().value!);
      this.#attempts.set(key, [...this.#recent(key, now), now]);
    }
    return {
      allowed: true,
      // The account's count starts over; the address gives back only this try's slot (one good password
      // does not vouch for the other tries from there).
      succeeded: () => {
        this.#attempts.delete(keys[0]);
        const times = this.#attempts.get(keys[1]);
        const i = times?.indexOf(now) ?? -1;
        if (times && i >= 0) times.splice(i, 1);
      },
    };
  }

  #recent(key: string, now: number): number[] {
    const times = (this.#attempts.get(key) ?? []).filter((t) => t > now - this.limits.windowMs);
    if (times.length === 0) this.#attempts.delete(key);
    return times;
  }
}
