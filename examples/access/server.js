// A members area under access protection. Everything Vigil does here happens in the browser: the page
// evaluates each visit, the SDK follows a challenge itself and comes back, and a device that another
// device logged out (the device-limit challenge) ends its session through `on_logout`.
//   VIGIL_URL=http://127.0.0.1:8080 VIGIL_CLIENT_ID=cl_… node examples/access/server.js
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

const template = readFileSync(new URL('./members.html', import.meta.url), 'utf8');
const SESSION = 'example_session';

/** The app's own session: a demo cookie holding the user's name (a real app signs or stores its sessions). */
function sessionUser(req) {
  const cookie = (req.headers.cookie ?? '').split(/;\s*/).find((c) => c.startsWith(`${SESSION}=`));
  const user = cookie ? decodeURIComponent(cookie.slice(SESSION.length + 1)) : '';
  return /^[a-z0-9_.-]{1,64}$/i.test(user) ? user : null;
}

const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (res, status, title, body) => {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(
    `<!doctype html><html lang="en"><meta charset="utf-8"><title>${title}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto}</style>${body}</html>`,
  );
};

async function readForm(req) {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 4096) throw new Error('body too large');
  }
  return new URLSearchParams(text);
}

export function createAccessExample({ vigilUrl, clientId }) {
  const members = (user) => template.replaceAll('{{VIGIL_URL}}', vigilUrl).replaceAll('{{VIGIL_CLIENT_ID}}', clientId).replaceAll('{{USER}}', escapeHtml(user));
  return http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://app');
    try {
      if (req.method === 'GET' && url.pathname === '/') {
        const user = sessionUser(req);
        if (!user) {
          return page(
            res,
            200,
            'Sign in',
            `<h1>Members area</h1><form method="post" action="/session"><label for="user">Your name</label> <input id="user" name="user" required pattern="[A-Za-z0-9_.\\-]{1,64}"> <button>Sign in</button></form>`,
          );
        }
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        return res.end(members(user));
      }
      if (req.method === 'POST' && url.pathname === '/session') {
        const user = (await readForm(req)).get('user') ?? '';
        if (!/^[a-z0-9_.-]{1,64}$/i.test(user)) return page(res, 400, 'Sign in', '<p role="alert">Use letters, digits, dots, dashes or underscores.</p>');
        res.writeHead(303, { location: '/', 'set-cookie': `${SESSION}=${encodeURIComponent(user)}; Path=/; HttpOnly; SameSite=Lax` });
        return res.end();
      }
      // Called by the page's on_logout: this device was logged out of the account elsewhere.
      if (req.method === 'POST' && url.pathname === '/logout') {
        res.writeHead(204, { 'set-cookie': `${SESSION}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0` });
        return res.end();
      }
      // The policy's logout_url.
      if (req.method === 'GET' && url.pathname === '/logged-out') {
        const user = sessionUser(req);
        const text = user ? `You are still signed in as ${escapeHtml(user)}.` : 'You were logged out on this device because the account is in use on too many devices.';
        return page(res, 200, 'Logged out', `<h1>Logged out</h1><p role="status">${text}</p><p><a href="/">Sign in again</a></p>`);
      }
      // The policy's success_url: offered to someone using another's account past its device limit.
      if (req.method === 'GET' && url.pathname === '/signup') {
        return page(res, 200, 'Get your own account', `<h1>Get your own account</h1><p role="status">Sign up to get a membership of your own.</p>`);
      }
      page(res, 404, 'Not found', '<p>Not found</p>');
    } catch (error) {
      console.error(error);
      page(res, 400, 'Bad request', '<p role="alert">Bad request</p>');
    }
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { VIGIL_URL = 'http://127.0.0.1:8080', VIGIL_CLIENT_ID, PORT = '3001' } = process.env;
  if (!VIGIL_CLIENT_ID) {
    console.error('Set VIGIL_CLIENT_ID (printed by `npm start` on its first start, or by `npx vigil project create`).');
    process.exit(2);
  }
  createAccessExample({ vigilUrl: VIGIL_URL, clientId: VIGIL_CLIENT_ID }).listen(Number(PORT), '127.0.0.1', () => {
    console.log(`Members area on http://127.0.0.1:${PORT}`);
  });
}
