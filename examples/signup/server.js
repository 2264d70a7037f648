// An app's signup, protected by Vigil: the page evaluates the signup, the backend confirms it before it
// creates the account, and a signup Vigil wants verified waits, bound to its evaluation, until the
// user passes the challenge.
//   VIGIL_URL=http://127.0.0.1:8080 VIGIL_CLIENT_ID=cl_… VIGIL_SECRET_KEY=sk_… node examples/signup/server.js
import { randomBytes, scryptSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { VigilAPI, VigilError, confirmEvaluation } from '@vigil/api';

const page = readFileSync(new URL('./signup.html', import.meta.url), 'utf8');
const PENDING_TTL_MS = 30 * 60_000;

function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

async function readJson(req) {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 10_000) throw new Error('body too large');
  }
  return JSON.parse(text);
}

const hashPassword = (password) => {
  const salt = randomBytes(16);
  return `${salt.toString('base64')}:${scryptSync(password, salt, 32).toString('base64')}`;
};

export function createSignupExample({ vigilUrl, clientId, secretKey }) {
  const vigil = new VigilAPI(secretKey, { baseUrl: vigilUrl });
  const html = page.replaceAll('{{VIGIL_URL}}', vigilUrl).replaceAll('{{VIGIL_CLIENT_ID}}', clientId);
  // A real app keeps both in its database.
  const accounts = new Map();
  /**
   * Signups waiting for their challenge, by evaluation id: the account is created only when Vigil says
   * this evaluation's challenge is completed, and only with what was submitted with it (the user
   * cannot change the email after verifying another one).
   */
  const pendingSignups = new Map();

  async function signup(body) {
    const { username, email, password, evaluation_id: evaluationId } = body ?? {};
    if (![username, email, password, evaluationId].every((v) => typeof v === 'string' && v.length > 0)) {
      return [400, { error: 'username, email, password and evaluation_id are required' }];
    }
    if (!/^[a-z0-9_.-]{1,64}$/i.test(username)) return [400, { error: 'a username is letters, digits, dots, dashes or underscores' }];
    if (password.length < 8) return [400, { error: 'use a password of 8 characters or more' }];
    if (accounts.has(username)) return [409, { error: 'that username is taken' }];
    let evaluation;
    try {
      evaluation = await vigil.evaluation.consume(evaluationId);
    } catch (error) {
      if (error instanceof VigilError && (error.code === 'INVALID_ARGUMENT' || (error.status >= 400 && error.status < 500))) return [403, { error: 'evaluation not accepted' }];
      throw error;
    }
    // The evaluation must be about this signup: this action, this user, this email.
    if (evaluation.action !== 'signup' || evaluation.user.id !== username || evaluation.user.email?.toLowerCase() !== email.toLowerCase()) {
      return [403, { error: 'evaluation not accepted' }];
    }
    if (evaluation.verdict === 'challenge' && evaluation.redirect) {
      pendingSignups.set(evaluation.id, { username, email, passwordHash: hashPassword(password), expiresAt: Date.now() + PENDING_TTL_MS });
      return [202, { challenge: evaluation.redirect }];
    }
    if (!confirmEvaluation(evaluation, { action: 'signup', user: username }).ok) return [403, { error: 'this signup cannot be accepted' }];
    accounts.set(username, { email, passwordHash: hashPassword(password), emailVerified: false });
    return [201, { user: username }];
  }

  /** The policy's success_url: Vigil sends the user here with `?evaluation=` once the challenge passed. */
  async function finishSignup(evaluationId) {
    const pending = typeof evaluationId === 'string' ? pendingSignups.get(evaluationId) : undefined;
    if (!pending || pending.expiresAt < Date.now()) return [403, { error: 'no signup is waiting for this verification' }];
    const evaluation = await vigil.evaluation.get(evaluationId);
    if (!confirmEvaluation(evaluation, { action: 'signup', user: pending.username }).ok) return [403, { error: 'the verification is not complete' }];
    pendingSignups.delete(evaluationId);
    if (accounts.has(pending.username)) return [409, { error: 'that username is taken' }];
    accounts.set(pending.username, { email: pending.email, passwordHash: pending.passwordHash, emailVerified: true });
    return [201, { user: pending.username }];
  }

  return http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://app');
    try {
      if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/signup')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(html);
      }
      if (req.method === 'POST' && url.pathname === '/signup') {
        let body;
        try {
          body = await readJson(req);
        } catch {
          return json(res, 400, { error: 'send a JSON body' });
        }
        const [status, answer] = await signup(body);
        return json(res, status, answer);
      }
      if (req.method === 'GET' && url.pathname === '/signup/verified') {
        const [status, answer] = await finishSignup(url.searchParams.get('evaluation'));
        const text = status === 201 ? `Welcome, ${answer.user}! Your account is ready.` : `Signup refused: ${answer.error}`;
        res.writeHead(status === 201 ? 200 : status, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(`<!doctype html><meta charset="utf-8"><title>Example app</title><p role="status">${text}</p>`);
      }
      // For the demo (and its test): whether an account exists, and whether its email was verified.
      const account = /^\/accounts\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'GET' && account) {
        const found = accounts.get(decodeURIComponent(account[1]));
        return found ? json(res, 200, { user: decodeURIComponent(account[1]), email_verified: found.emailVerified }) : json(res, 404, { error: 'no such account' });
      }
      json(res, 404, { error: 'not found' });
    } catch (error) {
      console.error(error);
      json(res, 502, { error: 'could not confirm the signup with Vigil' });
    }
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { VIGIL_URL = 'http://127.0.0.1:8080', VIGIL_CLIENT_ID, VIGIL_SECRET_KEY, PORT = '3002' } = process.env;
  if (!VIGIL_CLIENT_ID || !VIGIL_SECRET_KEY) {
    console.error('Set VIGIL_CLIENT_ID and VIGIL_SECRET_KEY (printed by `npm start` on its first start, or by `npx vigil project create`).');
    process.exit(2);
  }
  createSignupExample({ vigilUrl: VIGIL_URL, clientId: VIGIL_CLIENT_ID, secretKey: VIGIL_SECRET_KEY }).listen(Number(PORT), '127.0.0.1', () => {
    console.log(`Example signup on http://127.0.0.1:${PORT}`);
  });
}
