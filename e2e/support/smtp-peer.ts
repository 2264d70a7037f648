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
export async function startSmtpPeer(
  options: { users?: Record<string, string> } = {},
): Promise<{ url: string; mails: Mail[]; logins: string[]; next(to: string, timeoutMs?: number): Promise<Mail>; stop(): Promise<void> }> {
  const mails: Mail[] = [];
  const logins: string[] = [];
  const waiting: { to: string; resolve: (m: Mail) => void }[] = [];
  const server = new SMTPServer({
    // With users, a client must log in (PLAIN or LOGIN, over the plain connection a test has).
    authOptional: !options.users,
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, callback) {
      if (options.users && options.users[auth.username ?? ''] === auth.password) {
        logins.push(auth.username!);
        return callback(null, { user: auth.username });
      }
      callback(new Error('Invalid username or password'));
    },
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
    logins,
    next: (to, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no mail to ${to} within ${timeoutMs} ms`)), timeoutMs);
        waiting.push({
          to,
          resolve: (m) => {
            clearTimeout(timer);
            resolve(m);
          },
        });
      }),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
