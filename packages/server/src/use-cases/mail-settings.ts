import { AppError } from '../errors/codes.js';
import { seal, unseal } from '../settings/seal.js';
import type { Deps } from './deps.js';

/** Where a project's verification mail goes: an SMTP URL (it may hold a password) and the sender. */
export interface MailSettings {
  url: string;
  from: string;
}

const SEAL_SECRET = 'settings_seal';

/** The project's own SMTP settings, else the instance's (`SMTP_URL`, `MAIL_FROM`), else null. */
export async function mailFor(deps: Deps, projectId: string): Promise<{ settings: MailSettings; source: 'project' | 'instance' } | null> {
  const own = await projectMail(deps, projectId);
  if (own) return { settings: own, source: 'project' };
  return deps.config.mail ? { settings: deps.config.mail, source: 'instance' } : null;
}

async function projectMail(deps: Deps, projectId: string): Promise<MailSettings | null> {
  const sealed = await deps.store.projects.mailSettings(projectId);
  if (!sealed) return null;
  const opened = unseal(await deps.store.instanceSecrets.get(SEAL_SECRET, deps.now()), sealed);
  if (opened === null) throw new AppError('MAIL_SETTINGS_UNREADABLE', "This project's SMTP settings cannot be read with this installation's secret: set them again");
  return JSON.parse(opened) as MailSettings;
}

export async function saveProjectMail(deps: Deps, projectId: string, settings: MailSettings | null): Promise<void> {
  const sealed = settings === null ? null : seal(await deps.store.instanceSecrets.get(SEAL_SECRET, deps.now()), JSON.stringify(settings));
  await deps.store.projects.setMailSettings(projectId, sealed, deps.now());
}

/** What the API shows of an SMTP URL: never its password. */
export function describeSmtp(url: string): { host: string; port: number; secure: boolean; user: string | null } {
  const parsed = new URL(url);
  const secure = parsed.protocol === 'smtps:';
  return { host: parsed.hostname, port: parsed.port ? Number(parsed.port) : secure ? 465 : 587, secure, user: parsed.username ? decodeURIComponent(parsed.username) : null };
}
