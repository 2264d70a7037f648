// The example shop's backend: serves the login page and logs users in only after Vigil confirms.
//   VIGIL_URL=http://127.0.0.1:8080 VIGIL_CLIENT_ID=cl_… VIGIL_SECRET_KEY=sk_… node examples/login/server.js
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { VigilAPI, VigilError, confirmEvaluation } from '@vigil/api';

// A real app has a user database with password hashes; two demo users will do here.
const passwords = new Map([
  ['alice', 'wonderland'],
  ['bob', 'builder'],
]);

const page = readFileSync(new URL('./login.html', import.meta.url), 'utf8');

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

/**
 * The whole integration on the backend side: consume the evaluation (once), check it is the one this
 * request is about, and follow its verdict. Anything else is treated as an attack.
 */
async function login(vigil, body) {
  const { username, password, evaluation_id: evaluationId } = body ?? {};
  if (typeof username !== 'string' || typeof password !== 'string' || typeof evaluationId !== 'string') {
    return [400, { error: 'username, password and evaluation_id are required' }];
  }
  let evaluation;
  try {
    evaluation = await vigil.evaluation.consume(evaluationId);
  } catch (error) {
    // Not an id, unknown (tampered) or already consumed (replayed): refuse, without saying which.
    const refused = error instanceof VigilError && (error.code === 'INVALID_ARGUMENT' || (error.status >= 400 && error.status < 500));
    if (refused) return [403, { error: 'evaluation not accepted' }];
    throw error;
  }
  if (passwords.get(username) !== password) return [401, { error: 'wrong username or password' }];
  // Vigil wants the user verified first: send them to its page, and finish this login when they return.
  if (evaluation.verdict === 'challenge' && evaluation.redirect && evaluation.user.id === username && evaluation.action === 'login') {
    pendingLogins.set(evaluation.id, username);
    return [202, { challenge: evaluation.redirect }];
  }
  const check = confirmEvaluation(evaluation, { action: 'login', user: username });
  if (!check.ok) return [403, { error: 'evaluation not accepted' }];
  return [200, { user: username }];
}

/** Logins waiting for a challenge, by evaluation id (a real app keeps these in its session store). */
const pendingLogins = new Map();

/** The policy's success_url: Vigil sends the user here with `?evaluation=` once the challenge passed. */
async function finishLogin(vigil, evaluationId) {
  const username = typeof evaluationId === 'string' ? pendingLogins.get(evaluationId) : undefined;
  if (!username) return [403, { error: 'no login is waiting for this verification' }];
  const evaluation = await vigil.evaluation.get(evaluationId);
  const check = confirmEvaluation(evaluation, { action: 'login', user: username });
  if (!check.ok) return [403, { error: 'evaluation not accepted' }];
  pendingLogins.delete(evaluationId);
  return [200, { user: username }];
}

export function createExampleServer({ vigilUrl, clientId, secretKey }) {
  const vigil = new VigilAPI(secretKey, { baseUrl: vigilUrl });
  const html = page.replaceAll('{{VIGIL_URL}}', vigilUrl).replaceAll('{{VIGIL_CLIENT_ID}}', clientId);
  return http.createServer(async (req, res) => {
    try {
      if (req.method === 'GET' && (req.url === '/' || req.url === '/login')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(html);
      }
      if (req.method === 'GET' && req.url?.startsWith('/login/verified')) {
        const [status, answer] = await finishLogin(vigil, new URL(req.url, 'http://shop').searchParams.get('evaluation'));
        const text = status === 200 ? `Welcome, ${answer.user}!` : `Login refused: ${answer.error}`;
        res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(`<!doctype html><meta charset="utf-8"><title>Example shop</title><p role="status">${text}</p>`);
      }
      if (req.method === 'POST' && req.url === '/login') {
        let body;
        try {
          body = await readJson(req);
        } catch {
          return json(res, 400, { error: 'send a JSON body' });
        }
        const [status, answer] = await login(vigil, body);
        return json(res, status, answer);
      }
      json(res, 404, { error: 'not found' });
    } catch (error) {
      console.error(error);
      json(res, 502, { error: 'could not confirm the login with Vigil' });
    }
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { VIGIL_URL = 'http://127.0.0.1:8080', VIGIL_CLIENT_ID, VIGIL_SECRET_KEY, PORT = '3000' } = process.env;
  if (!VIGIL_CLIENT_ID || !VIGIL_SECRET_KEY) {
    console.error('Set VIGIL_CLIENT_ID and VIGIL_SECRET_KEY (printed by `npm start` on its first start, or by `npx vigil project create`).');
    process.exit(2);
  }
  createExampleServer({ vigilUrl: VIGIL_URL, clientId: VIGIL_CLIENT_ID, secretKey: VIGIL_SECRET_KEY }).listen(Number(PORT), '127.0.0.1', () => {
    console.log(`Example shop on http://127.0.0.1:${PORT} (try alice / wonderland)`);
  });
}
