import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/config.js';

export const SECRET_FILE = 'secret.key';
const MIN_LENGTH = 32;

/**
 * The installation secret that seals stored passwords. It is kept outside the database on purpose: a
 * key stored next to what it seals (as `instance_secrets` did) makes a database dump or backup enough
 * to open them. VIGIL_SECRET when set; else `<data dir>/secret.key`, created at first start (32 random
 * bytes, base64url, mode 0600) and read at every later one.
 */
export async function loadInstallationSecret(config: Pick<Config, 'secret' | 'dataDir'>): Promise<string> {
  if (config.secret !== null) return config.secret;
  const path = join(config.dataDir, SECRET_FILE);
  const existing = await readSecretFile(path);
  if (existing !== null) return existing;
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('base64url');
  // Written whole under a name of its own, then linked into place: a link never replaces a file that is
  // there, and the key file appears with its content. Two processes starting on one data directory (a
  // cluster's first start) agree on the winner's key; the loser once read the winner's file between its
  // creation and its write, found it empty, and refused to start.
  const draft = `${path}.${process.pid}.${randomBytes(6).toString('hex')}`;
  try {
    await writeFile(draft, `${secret}\n`, { flag: 'wx', mode: 0o600 });
    await link(draft, path);
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      const raced = await readSecretFile(path);
      if (raced !== null) return raced;
    }
    throw new Error(`Cannot create the installation secret ${path}: ${(error as Error).message}. Make the data directory writable, or set VIGIL_SECRET (32 characters or more).`);
  } finally {
    await unlink(draft).catch(() => undefined);
  }
}

/** The file's secret, or null when there is no file; a file that is there but unusable is an error, never replaced. */
async function readSecretFile(path: string): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // Replacing it would make every sealed setting unreadable: stop and say so instead.
    throw new Error(`Cannot read the installation secret ${path}: ${(error as Error).message}. Fix its permissions, or set VIGIL_SECRET to the same secret.`);
  }
  const secret = text.trim();
  if (secret.length < MIN_LENGTH) throw new Error(`The installation secret ${path} is shorter than ${MIN_LENGTH} characters: restore it from a backup, or set VIGIL_SECRET.`);
  return secret;
}
