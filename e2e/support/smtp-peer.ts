import { SMTPServer } from 'smtp-server';
import { freePort } from './free-port.js';

export interface Mail {
  from: string;
  to: string[];
  raw: string;
}

/**
 * A real SMTP server (smtp-server) on a free port that keeps every message it accepts: the peer of
 * Vigil's nodemailer in tests, so codes travel through a real SMTP conversation.
 */
export async function startSmtpPeer(): Promise<{ url: string; mails: Mail[]; next(to: string, timeoutMs?: number): Promise<Mail>; stop(): Promise<void> }> {
  const mails: Mail[] = [];
  const waiting: { to: string; resolve: (m: Mail) => void }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      stream.on('end', () => {
        const mail = { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw };
        mails.push(mail);
        for (const w of waiting.splice(0)) {
          if (mail.to.includes(w.to)) w.resolve(mail);
          else waiting.push(w);
        }
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    next: (to, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no mail to ${to} within ${timeoutMs} ms`)), timeoutMs);
        waiting.push({ to, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      }),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
