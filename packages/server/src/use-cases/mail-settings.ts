import type { MailRoute } from '../challenges/delivery.js';
import { type SmtpServer, parseSmtpUrl } from '../challenges/smtp-url.js';
import { refuseForbiddenDestination } from '../destinations/refuse-at-save.js';
import { AppError } from '../errors/codes.js';
import { seal, unseal } from '../settings/seal.js';
import type { Deps } from './deps.js';

/** What a project sets: an SMTP URL (it may hold a password) and the sender. */
export interface MailSettingsInput {
  url: string;
  from: string;
}

/**
 * The sealed JSON: the URL's fields, not the URL, so that what is read back is exactly what goes to
 * the mail library. Values saved before were `{url, from}` and are still read (through the same parser).
 */
interface StoredMail {
  v: 2;
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  pass: string | null;
  from: string;
}

const unreadable = () => new AppError('MAIL_SETTINGS_UNREADABLE', "This project's SMTP settings cannot be read with this installation's secret: set them again");

/** The project's own SMTP settings, else the instance's (`SMTP_URL`, `MAIL_FROM`), else null. */
export async function mailFor(deps: Deps, projectId: string): Promise<{ settings: MailRoute; source: 'project' | 'instance' } | null> {
  const own = await projectMail(deps, projectId);
  if (own) return { settings: own, source: 'project' };
  // The operator's own server (SMTP_URL, read into its fields by the config): private addresses are fine.
  return deps.config.mail ? { settings: { ...deps.config.mail, trusted: true }, source: 'instance' } : null;
}

async function projectMail(deps: Deps, projectId: string): Promise<MailRoute | null> {
  const sealed = await deps.store.projects.mailSettings(projectId);
  if (!sealed) return null;
  const opened = unseal(deps.sealSecret, sealed);
  if (opened === null) throw unreadable();
  const stored = readStored(opened);
  if (!stored) throw unreadable();
  return { ...stored, trusted: false };
}

/** The fields of a sealed value, picked one by one (never spread): either form, or null when it is neither. */
function readStored(json: string): { server: SmtpServer; from: string } | null {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || typeof value.from !== 'string') return null;
  if (typeof value.url === 'string') {
    // Saved before the fields were kept: a URL with options in it (a query string) is not used.
    const parsed = parseSmtpUrl(value.url);
    return parsed.ok ? { server: parsed.server, from: value.from } : null;
  }
  const { host, port, secure, user, pass } = value;
  if (typeof host !== 'string' || typeof port !== 'number' || typeof secure !== 'boolean') return null;
  if ((user !== null && typeof user !== 'string') || (pass !== null && typeof pass !== 'string')) return null;
  return { server: { host, port, secure, user, pass }, from: value.from };
}

/**
 * Sets (or, with null, forgets) the project's SMTP server. The URL is parsed into its fields
 * (VALIDATION_ERROR for anything else in it) and its host must not resolve to an address projects may
 * not reach (DESTINATION_NOT_ALLOWED); the fields are sealed with the installation secret.
 */
export async function saveProjectMail(deps: Deps, projectId: string, input: MailSettingsInput | null): Promise<void> {
  if (input === null) {
    await deps.store.projects.setMailSettings(projectId, null, deps.now());
    return;
  }
  const parsed = parseSmtpUrl(input.url);
  if (!parsed.ok) throw new AppError('VALIDATION_ERROR', `smtp_url ${parsed.problem}`);
  await refuseForbiddenDestination('smtp_url', parsed.server.host, { allowPrivate: deps.config.allowPrivateDestinations });
  const { host, port, secure, user, pass } = parsed.server;
  const stored: StoredMail = { v: 2, host, port, secure, user, pass, from: input.from };
  await deps.store.projects.setMailSettings(projectId, seal(deps.sealSecret, JSON.stringify(stored)), deps.now());
}

/** What the API shows of an SMTP server: never its password. */
export function describeSmtp(server: SmtpServer): { host: string; port: number; secure: boolean; user: string | null } {
  return { host: server.host, port: server.port, secure: server.secure, user: server.user };
}
