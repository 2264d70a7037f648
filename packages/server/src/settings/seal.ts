import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

// Settings that hold a password (a project's SMTP URL) are kept sealed in the database: AES-256-GCM
// under a key derived from an installation secret, so a database dump alone does not give them away.
// `v1.<iv>.<tag>.<ciphertext>`, base64url.

const keyOf = (secret: string) => createHash('sha256').update(`vigil settings seal\0${secret}`).digest();

export function seal(secret: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

/** The plaintext, or null when the value was not sealed with this secret (or was tampered with). */
export function unseal(secret: string, sealed: string): string | null {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || body === undefined) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(secret), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
