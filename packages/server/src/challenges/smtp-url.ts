import { isIPv6 } from 'node:net';

/** An SMTP server as Vigil uses one: these fields and nothing else ever reach the mail library. */
export interface SmtpServer {
  /** A host name (lower case) or an IP address (IPv6 without brackets). */
  host: string;
  port: number;
  /** smtps: TLS from the first byte; smtp: STARTTLS when the server offers it. */
  secure: boolean;
  user: string | null;
  pass: string | null;
}

export type SmtpUrlParse = { ok: true; server: SmtpServer } | { ok: false; problem: string };

// A DNS name (letters, digits, hyphens; underscores, which some private zones use), or an IPv4 address.
// smtp: is not a scheme the URL parser knows, so its host is opaque: percent-escapes and the like stay
// as written and are refused here rather than handed to a resolver that reads them another way.
const hostName = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/**
 * Reads `smtp://[user[:password]@]host[:port]` or `smtps://…` into its fields. Nothing else is accepted:
 * the mail library would read a query string as options (`?sendmail=true&path=/bin/sh` runs a program;
 * `proxy`, `streamTransport`, `tls.*` and the rest change where and how it connects), so a URL with a
 * query, a fragment or a path is refused rather than trimmed, and the library is only ever given the
 * fields below (see smtpTransportOptions), never a URL.
 */
export function parseSmtpUrl(text: string): SmtpUrlParse {
  // Checked on the text, not the parsed URL: `smtp://h?` parses to an empty query that `search` hides.
  if (/[?#]/.test(text)) return { ok: false, problem: 'must not have a query string or fragment: SMTP options in the URL are not supported' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: 'must be an smtp:// or smtps:// URL' };
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') return { ok: false, problem: 'must be an smtp:// or smtps:// URL' };
  if (url.pathname !== '' && url.pathname !== '/') return { ok: false, problem: 'must not have a path: smtp://host:port' };
  const bracketed = /^\[(.+)\]$/.exec(url.hostname)?.[1];
  const host = bracketed !== undefined ? bracketed.toLowerCase() : url.hostname.toLowerCase();
  if (bracketed !== undefined ? !isIPv6(host) : !hostName.test(host)) return { ok: false, problem: 'must name its server as a host name or an IP address' };
  const secure = url.protocol === 'smtps:';
  const port = url.port === '' ? (secure ? 465 : 587) : Number(url.port);
  if (port < 1) return { ok: false, problem: 'must have a port from 1 to 65535' };
  let user: string | null;
  let pass: string | null;
  try {
    user = url.username === '' ? null : decodeURIComponent(url.username);
    pass = url.password === '' ? null : decodeURIComponent(url.password);
  } catch {
    return { ok: false, problem: 'has a user or password that is not percent-encoded properly' };
  }
  if (pass !== null && user === null) return { ok: false, problem: 'has a password but no user' };
  return { ok: true, server: { host, port, secure, user, pass } };
}
