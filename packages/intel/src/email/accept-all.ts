import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { hostname } from 'node:os';

export interface AcceptAllProbeOptions {
  /** The domain's mail hosts, most preferred first (production: `MailExchanger.exchangers`); `null` when unknown. */
  exchangersOf: (domain: string) => Promise<string[] | null>;
  /** SMTP port of the exchangers (25; tests point it at a local server). */
  port?: number;
  /** Name given in EHLO/HELO; the machine's host name by default. */
  heloName?: string;
  /** Reverse-path of MAIL FROM, without the angle brackets; `''` (the null reverse-path `<>`) by default. */
  mailFrom?: string;
  /** Limit on one probe's whole conversation (connecting, every reply). */
  timeoutMs?: number;
  /** How long a definite answer is kept per domain. */
  ttlMs?: number;
  /** How many domains are remembered; the oldest answer goes first. */
  maxCached?: number;
  now?: () => number;
  /** The random local part of the probe recipient. */
  random?: () => string;
}

/** An unknown answer is asked again sooner than a definite one: greylisting and outages pass. */
const UNKNOWN_TTL_MS = 600_000;
/** Tried in order when one cannot be reached; more would outlast any sensible timeout. */
const MAX_EXCHANGERS = 2;
/** A peer that sends more than this without finishing a reply is not an SMTP server worth listening to. */
const MAX_REPLY_CHARS = 64 * 1024;
const DOMAIN = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** A conversation's outcome; `unreachable` (no connection at all) means: try the next exchanger. */
type Outcome = boolean | null | 'unreachable';

/**
 * Whether a domain's mail exchanger accepts mail for any recipient (a "catch-all" domain), where an address
 * that exists says little. The probe asks the exchanger whether it would take a random, long local part at
 * the domain (`RCPT TO`) and quits before `DATA`: no mail is ever sent. For privacy it never names the
 * user's address: only the domain is probed, with an address that cannot belong to anyone.
 *
 * `true`: the random recipient was accepted (250/251). `false`: it was refused for good (5xx). `null` when
 * the probe cannot tell: a temporary refusal (4xx, often greylisting of unknown senders, which says nothing
 * about the recipient), a refusal of the probe itself (a 5.7.x policy code, e.g. our IP is blocklisted),
 * a timeout, a connection error or an unexpected reply. Never throws.
 */
export class AcceptAllProbe {
  private readonly exchangersOf: (domain: string) => Promise<string[] | null>;
  private readonly port: number;
  private readonly heloName: string;
  private readonly mailFrom: string;
  private readonly timeoutMs: number;
  private readonly ttlMs: number;
  private readonly maxCached: number;
  private readonly now: () => number;
  private readonly random: () => string;
  private readonly cache = new Map<string, { value: boolean | null; until: number }>();
  private readonly inFlight = new Map<string, Promise<boolean | null>>();

  constructor(options: AcceptAllProbeOptions) {
    this.exchangersOf = options.exchangersOf;
    this.port = options.port ?? 25;
    this.heloName = options.heloName ?? hostname();
    this.mailFrom = options.mailFrom ?? '';
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.ttlMs = options.ttlMs ?? 86_400_000;
    this.maxCached = options.maxCached ?? 10_000;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? (() => randomBytes(12).toString('hex'));
  }

  /** The answer for a domain: cached while fresh, else from one conversation (one at a time per domain). */
  probe(domain: string): Promise<boolean | null> {
    const key = domain.toLowerCase();
    const cached = this.cached(key);
    if (cached !== undefined) return Promise.resolve(cached);
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.run(key)
        .catch(() => null)
        .then((value) => {
          this.remember(key, value);
          return value;
        })
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  /**
   * What an evaluation asks: the cached answer at once, else the probe's answer if it comes within `waitMs`.
   * A probe that takes longer goes on and caches its answer for later evaluations; this one gets `null`.
   */
  async answer(domain: string, waitMs: number): Promise<boolean | null> {
    const cached = this.cached(domain.toLowerCase());
    if (cached !== undefined) return cached;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), Math.max(0, waitMs));
      timer.unref();
    });
    try {
      return await Promise.race([this.probe(domain), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  private cached(key: string): boolean | null | undefined {
    const entry = this.cache.get(key);
    return entry && entry.until > this.now() ? entry.value : undefined;
  }

  private remember(key: string, value: boolean | null): void {
    this.cache.delete(key);
    while (this.cache.size >= this.maxCached && this.cache.size > 0) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, { value, until: this.now() + (value === null ? UNKNOWN_TTL_MS : this.ttlMs) });
  }

  private async run(domain: string): Promise<boolean | null> {
    // The domain goes into an SMTP command line: anything but a plain host name (CR, LF, spaces) is refused.
    if (!DOMAIN.test(domain)) return null;
    const hosts = await this.exchangersOf(domain);
    if (!hosts?.length) return null;
    const deadline = Date.now() + this.timeoutMs;
    for (const host of hosts.slice(0, MAX_EXCHANGERS)) {
      const left = deadline - Date.now();
      if (left <= 0) return null;
      const outcome = await this.converse(host, domain, left);
      if (outcome !== 'unreachable') return outcome;
    }
    return null;
  }

  /** One SMTP conversation: greeting, EHLO (or HELO), MAIL FROM, RCPT TO, QUIT. Never DATA. */
  private converse(host: string, domain: string, timeoutMs: number): Promise<Outcome> {
    return new Promise<Outcome>((resolve) => {
      const socket = connect({ host, port: this.port });
      let connected = false;
      let done = false;
      let buffered = '';
      let lines: string[] = [];
      let step: 'greeting' | 'ehlo' | 'helo' | 'mail' | 'rcpt' = 'greeting';

      const finish = (outcome: Outcome, quit = false) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (quit) {
          // Polite: say goodbye, and let the peer close; a peer that does not is cut off soon after.
          socket.end('QUIT\r\n');
          setTimeout(() => socket.destroy(), 1000).unref();
        } else {
          socket.destroy();
        }
        resolve(outcome);
      };
      const send = (command: string) => socket.write(`${command}\r\n`);
      const timer = setTimeout(() => finish(null), timeoutMs);
      timer.unref();

      const reply = (code: number, text: string) => {
        switch (step) {
          case 'greeting':
            if (code !== 220) return finish(null, true);
            step = 'ehlo';
            return send(`EHLO ${this.heloName}`);
          case 'ehlo':
          case 'helo':
            if (code === 250) {
              step = 'mail';
              return send(`MAIL FROM:<${this.mailFrom}>`);
            }
            // An old server that does not know EHLO refuses it with 5xx: greet it the RFC 821 way.
            if (step === 'ehlo' && code >= 500 && code < 600) {
              step = 'helo';
              return send(`HELO ${this.heloName}`);
            }
            return finish(null, true);
          case 'mail':
            if (code !== 250) return finish(null, true);
            step = 'rcpt';
            return send(`RCPT TO:<${this.random()}@${domain}>`);
          case 'rcpt':
            if (code === 250 || code === 251) return finish(true, true);
            // 5.7.x is a policy refusal of the probe (blocklisted IP, sender checks), not of the recipient.
            if (code >= 500 && code < 600) return finish(/^5\.7\.\d{1,3}\b/.test(text) ? null : false, true);
            return finish(null, true);
        }
      };

      socket.setEncoding('latin1');
      socket.on('connect', () => (connected = true));
      socket.on('error', () => finish(connected ? null : 'unreachable'));
      socket.on('close', () => finish(null));
      socket.on('data', (chunk: string) => {
        buffered += chunk;
        if (buffered.length > MAX_REPLY_CHARS) return finish(null);
        for (let end = buffered.indexOf('\n'); !done && end >= 0; end = buffered.indexOf('\n')) {
          const line = buffered.slice(0, end).replace(/\r$/, '');
          buffered = buffered.slice(end + 1);
          // A reply is one or more lines "250-text" ending with "250 text" (or a bare "250").
          const match = /^(\d{3})(?:([ -])(.*))?$/.exec(line);
          if (!match) return finish(null, true);
          lines.push(match[3] ?? '');
          if (match[2] === '-') continue;
          const text = lines.join('\n');
          lines = [];
          reply(Number(match[1]), text);
        }
      });
    });
  }
}
