import { appendFile } from 'node:fs/promises';
import nodemailer from 'nodemailer';
import type { Config } from '../config/config.js';

/** Sends one verification message. Email goes through real SMTP; SMS through one adapter per gateway. */
export interface CodeDelivery {
  /** Through `mail` (the project's SMTP server, or the instance's), or fails when there is none. */
  email(message: { to: string; subject: string; text: string; html: string }, mail: { url: string; from: string } | null): Promise<void>;
  sms(message: { to: string; text: string }): Promise<void>;
}

export class DeliveryError extends Error {
  override name = 'DeliveryError';
}

/** The SMS gateway interface: Twilio's HTTP API, a file (tests, development) or the console. */
export interface SmsSender {
  send(to: string, text: string): Promise<void>;
}

export function createDelivery(config: Pick<Config, 'sms'>, log: { info(o: object, m: string): void }): CodeDelivery {
  // One transport per SMTP URL (the instance's and each project's), made on first use.
  const transports = new Map<string, ReturnType<typeof nodemailer.createTransport>>();
  const transportFor = (url: string) => {
    let transport = transports.get(url);
    if (!transport) {
      if (transports.size >= 100) transports.clear(); // settings changed many times: start over
      transport = nodemailer.createTransport(url);
      transports.set(url, transport);
    }
    return transport;
  };
  const sms = smsSender(config.sms, log);
  return {
    async email(message, mail) {
      if (!mail) throw new DeliveryError('No SMTP server is configured: set SMTP_URL, or the project\'s own with PUT /v3/settings/mail');
      try {
        await transportFor(mail.url).sendMail({ from: mail.from, ...message });
      } catch (error) {
        throw new DeliveryError(`The mail server refused the message: ${(error as Error).message}`);
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

function smsSender(sms: Config['sms'], log: { info(o: object, m: string): void }): SmsSender {
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
