import { hash, randomBytes } from 'node:crypto';

// Crockford's base32 in lower case: no padding, no punctuation, nothing a URL or a shell would mangle.
const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';

function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(buffer << (5 - bits)) & 31];
  return out;
}

// Random bytes drawn in blocks: one system call per 256 ids instead of one per id (a hot-path cost).
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let offset = POOL_SIZE;

function random16(): Uint8Array {
  if (offset + 16 > pool.length) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  offset += 16;
  return pool.subarray(offset - 16, offset);
}

/**
 * An opaque id with its kind as prefix (`ev_…`): the millisecond it was made (48 bits), then 80 random
 * bits, so an id cannot be guessed (ULID's layout). Ids made later sort after earlier ones, so a table's
 * primary-key index grows at its end: a group of evaluations adds to one page, where random ids wrote a
 * page of log per row, at a random place in the index (~7 % of a warm evaluation's CPU, ~20 % of a
 * new user's). `now` is the caller's clock where it has one.
 */
export function newId(prefix: string, now: number = Date.now()): string {
  const bytes = Buffer.from(random16());
  bytes.writeUIntBE(Math.max(0, Math.min(Math.floor(now), 2 ** 48 - 1)), 0, 6);
  return `${prefix}_${base32(bytes)}`;
}

/** A secret key: 256 random bits. Shown once; only its hash is stored. */
export function newSecretKey(): string {
  return `sk_${base32(randomBytes(32))}`;
}

/**
 * Secrets are long random strings, so one SHA-256 is enough: no dictionary to slow an attacker against.
 * The one-shot `hash`: every request hashes its key, and `createHash` makes an object each time.
 */
export function hashSecret(secret: string): string {
  return hash('sha256', secret, 'hex');
}
