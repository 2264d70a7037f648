import { seal, unseal } from '../settings/seal.js';
import type { Deps } from './deps.js';

/** The database row that sealed project mail settings before the installation secret moved out of the database. */
export const LEGACY_SEAL_SECRET = 'settings_seal';

/**
 * Re-seals, with the installation secret, every project's mail settings still sealed with the old key
 * kept in the database (`instance_secrets.settings_seal`), so that a database dump no longer opens
 * them. Run at start, after migrating. A value that opens with neither key is left as it is (reading it
 * answers MAIL_SETTINGS_UNREADABLE, as before): it may belong to another installation secret, e.g. a
 * node started with a different VIGIL_SECRET, and re-sealing cannot help it. The old row stays: it
 * still opens backups taken before this ran.
 */
export async function resealProjectMail(deps: Pick<Deps, 'store' | 'now' | 'sealSecret'>): Promise<{ resealed: number; unreadable: number }> {
  let legacy: string | null = null;
  let resealed = 0;
  let unreadable = 0;
  for (const project of await deps.store.projects.list()) {
    const sealed = await deps.store.projects.mailSettings(project.id);
    if (sealed === null || unseal(deps.sealSecret, sealed) !== null) continue;
    // Asked for only when needed: `get` creates the row, which a new installation never needs.
    legacy ??= await deps.store.instanceSecrets.get(LEGACY_SEAL_SECRET, deps.now());
    const opened = unseal(legacy, sealed);
    if (opened === null) {
      unreadable++;
      continue;
    }
    await deps.store.projects.setMailSettings(project.id, seal(deps.sealSecret, opened), deps.now());
    resealed++;
  }
  return { resealed, unreadable };
}
