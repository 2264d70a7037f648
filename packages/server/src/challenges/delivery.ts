import { appendFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import nodemailer from 'nodemailer';
import type { Config } from '../config/config.js';
import { type Lookup, resolveDestination } from '../destinations/resolve.js';
import type { SmtpServer } from './smtp-url.js';

/** Where one message goes: the SMTP server, the sender, and whether the server is the instance's own. */
export interface MailRoute {
  server: SmtpServer;
  from: string;
  /**
   * The instance's SMTP_URL (set by the operator) is connected to as configured, private address or
   * not; a project's server is resolved and checked before every send (VIGIL_ALLOW_PRIVATE_DESTINATIONS).
   */
  trusted: boolean;
}

/** Sends one verification message. Email goes through real SMTP; SMS through one adapter per gateway. */
export interface CodeDelivery {
  /** Through `mail` (the project's SMTP server, or the instance's), or fails when there is none. */
  email(message: { to: string; subject: string; text: string; html: string }, mail: MailRoute | null): Promise<void>;
  sms(message: { to: string; text: string }): Promise<void>;
}

export class DeliveryError extends Error {
  override name = 'DeliveryError';
}

/** The SMS gateway interface: Twilio's HTTP API, a file (tests, development) or the console. */
export interface SmsSender {
  send(to: string, text: string): Promise<void>;
}

/** Everything the mail library is given: built field by field, so nothing else can reach it. */
export interface SmtpTransportOptions {
  host: string;
  port: number;
  secure: boolean;
  auth?: { user: string; pass: string };
  tls?: { servername: string };
  connectionTimeout: number;
  greetingTimeout: number;
  socketTimeout: number;
}

export type TransportFactory = (options: SmtpTransportOptions) => {
  sendMail(message: { from: string; to: string; subject: string; text: string; html: string }): Promise<unknown>;
};

/**
 * The transport options for `server`, connecting to `connectTo` (the address checked for a project's
 * server, or the configured host for the instance's). When that is an address rather than the name,
 * the name goes in `tls.servername` so that STARTTLS or smtps still presents and verifies it.
 * Timeouts are short: a verification code that takes minutes is no use, and a slow peer must not hold
 * a request open.
 */
export function smtpTransportOptions(server: SmtpServer, connectTo: string): SmtpTransportOptions {
  return {
    host: connectTo,
    port: server.port,
    secure: server.secure,
    ...(server.user !== null ? { auth: { user: server.user, pass: server.pass ?? '' } } : {}),
    ...(connectTo !== server.host && isIP(server.host) === 0 ? { tls: { servername: server.host } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  };
}

const defaultTransport: TransportFactory = (options) => nodemailer.createTransport(options);

// What a project's API client is told when its mail does not go out. Never the server's own words: the
// banner or refusal of whatever answers at that address would tell the client what runs there.
const MAIL_FAILED = 'The mail server could not be reached or refused the message (the server log has the details)';

export interface Logger {
  info(o: object, m: string): void;
  warn(o: object, m: string): void;
}

export function createDelivery(
  config: Pick<Config, 'sms' | 'allowPrivateDestinations'>,
  log: Logger,
  options: { createTransport?: TransportFactory; lookup?: Lookup } = {},
): CodeDelivery {
  const createTransport = options.createTransport ?? defaultTransport;
  const sms = smsSender(config.sms, log);
  return {
    async email(message, mail) {
      if (!mail) throw new DeliveryError("No SMTP server is configured: set SMTP_URL, or the project's own with PUT /v3/settings/mail");
      const { server } = mail;
      let connectTo = server.host;
      if (!mail.trusted) {
        // Checked again at every send, whatever was checked when it was saved: DNS may answer otherwise now.
        const target = await resolveDestination(server.host, { allowPrivate: config.allowPrivateDestinations, lookup: options.lookup });
        if (!target.ok) {
          log.warn(
            { smtp: { host: server.host, port: server.port }, addresses: target.addresses, reason: target.reason },
            "mail not sent: the project's SMTP server is not a destination this server connects to",
          );
          throw new DeliveryError(target.reason === 'not_allowed' ? "The project's mail server is not a destination this server connects to" : MAIL_FAILED);
        }
        connectTo = target.address;
      }
      try {
        // A transport per message: it connects once anyway, and the address may differ from the last send's.
        await createTransport(smtpTransportOptions(server, connectTo)).sendMail({
          from: mail.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
        });
      } catch (error) {
        // The message and codes only: a nodemailer error also carries the command and response text.
        const e = error as { message?: string; code?: string; responseCode?: number };
        log.warn(
          { smtp: { host: server.host, port: server.port, user: server.user, address: connectTo }, error: { message: e.message, code: e.code, responseCode: e.responseCode } },
          'mail not sent',
        );
        throw new DeliveryError(MAIL_FAILED);
      }
    },
    async sms(message) {
      try {
        await sms.send(message.to, message.text);
      } catch (error) {
        throw new DeliveryError(`The SMS gateway refused the message: ${(error as Error).message}`);
      }
    },
  };
}

function smsSender(sms: Config['sms'], log: Logger): SmsSender {
  switch (sms.adapter) {
    case 'none':
      // Unset VIGIL_SMS is not a development default that prints codes: SMS is simply not configured.
      return {
        send: async () => {
          throw new Error('SMS is not configured on this server (set VIGIL_SMS)');
        },
      };
    case 'console':
      // Development only: the code is the message, so it is printed. Never the default in production.
      return { send: async (to, text) => log.info({ sms: { to, text } }, 'SMS (console adapter)') };
    case 'file':
      return { send: (to, text) => appendFile(sms.path, `${JSON.stringify({ to, text, at: new Date().toISOString() })}\n`) };
    case 'twilio':
      return twilioSender(sms);
  }
}

/** Twilio's Messages API (form-encoded POST with basic auth); the base URL is settable for tests. */
function twilioSender(sms: Extract<Config['sms'], { adapter: 'twilio' }>): SmsSender {
  return {
    async send(to, text) {
      const res = await fetch(`${sms.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(sms.accountSid)}/Messages.json`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${sms.accountSid}:${sms.authToken}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ To: to, From: sms.from, Body: text }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
    },
  };
}
