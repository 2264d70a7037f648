import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import type { Box } from './person.js';
import { type RunningVigil, runVigil, startVigil } from './vigil-process.js';

export interface ProbeSite {
  vigil: RunningVigil;
  /** The page: `${url}/?user=NAME` evaluates a login for NAME by itself, with no automation involved. */
  url: string;
  /**
   * A sign-in form: `${url}/login?user=NAME` evaluates a login for NAME when the form is submitted, and
   * reports where its fields are on the screen (for a person's hand, `geometry`). With `&autofill`, the
   * page stands in for a password manager's extension: focusing the email field fills both fields the
   * way extensions do (values set, input announced by script-made events, no keys).
   */
  loginUrl(user: string, options?: { autofill?: boolean }): string;
  /**
   * Where the sign-in form's fields and button are, in screen pixels, as its page last said, or (`fresh`)
   * as it says next: a browser's bar can push the page down between two reports.
   */
  geometry(user: string, options?: { fresh?: boolean; timeoutMs?: number }): Promise<LoginGeometry>;
  project: { id: string; client_id: string; secret_key: string };
  /** The evaluation id the page for this user reported back, once it has. */
  reported(user: string, timeoutMs?: number): Promise<string>;
  /** The evaluation as the customer's backend reads it. */
  evaluation(id: string): Promise<Evaluation>;
  stop(): Promise<void>;
}

export interface LoginGeometry {
  email: Box;
  password: Box;
  submit: Box;
}

export interface Evaluation {
  checks: Record<string, unknown>;
  risks: { category: string; score: number; severity: string }[];
  [key: string]: unknown;
}

/** What the pages posted, by user: the latest body, and whoever waits for one. */
function mailbox(what: string) {
  const latest = new Map<string, string>();
  const waiting = new Map<string, (body: string) => void>();
  return {
    put(user: string, body: string): void {
      latest.set(user, body);
      waiting.get(user)?.(body);
    },
    /** The latest body, or the next one when there is none yet or `fresh` asks for one posted from now on. */
    take(user: string, timeoutMs: number, fresh = false): Promise<string> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          if (waiting.get(user) === done) waiting.delete(user);
          reject(new Error(`no ${what} reported for ${user} within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = (body: string) => {
          clearTimeout(timer);
          waiting.delete(user);
          resolve(body);
        };
        const body = fresh ? undefined : latest.get(user);
        if (body !== undefined) done(body);
        else waiting.set(user, done);
      });
    },
  };
}

/**
 * A site whose page runs the browser SDK on load and reports the evaluation id back to this server:
 * what a browser started without any automation (a plain Chromium or Firefox process) can be measured
 * with, since nothing drives it but its own page.
 */
export async function startProbeSite(name: string): Promise<ProbeSite> {
  const dataDir = mkdtempSync(join(tmpdir(), `vigil-${name}-`));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const created = await runVigil(['project', 'create', '--name', 'Probe', '--origin', url, '--json'], { VIGIL_DATA_DIR: dataDir });
  if (created.code !== 0) throw new Error(`vigil project create failed: ${created.stderr}`);
  const project = JSON.parse(created.stdout);
  const vigil = await startVigil({ VIGIL_DATA_DIR: dataDir });
  const reports = mailbox('evaluation');
  const geometries = mailbox('geometry');
  const page = `<!doctype html><meta charset="utf-8"><title>probe</title><p>Checking…</p>
<script src="${vigil.url}/sdk/vigil.js"></script>
<script>
  const user = new URLSearchParams(location.search).get('user');
  const vigil = new Vigil({ clientId: ${JSON.stringify(project.client_id)}, baseUrl: ${JSON.stringify(vigil.url)} });
  // The login comes a second after the page, as a person's would (a bot's, faster still, changes
  // nothing but the timing): the SDK's setup has started its slow probes by then.
  new Promise((resolve) => setTimeout(resolve, 1000))
    .then(() => vigil.evaluate.login({ user }))
    .then((r) => fetch('/report?user=' + encodeURIComponent(user), { method: 'POST', body: r.evaluation_id }))
    .catch((e) => fetch('/report?user=' + encodeURIComponent(user), { method: 'POST', body: 'error:' + (e.code || e.message) }));
</script>`;
  const loginPage = `<!doctype html><meta charset="utf-8"><title>Sign in</title>
<style>body{font:16px sans-serif;margin:40px}input,button{display:block;box-sizing:border-box;margin:14px 0;padding:8px;width:280px;height:40px;font-size:16px}</style>
<h1>Sign in</h1>
<form id="login"><input id="email" name="email" type="email" autocomplete="username" placeholder="Email"><input id="password" name="password" type="password" autocomplete="current-password" placeholder="Password"><button id="submit" type="submit">Sign in</button></form>
<script src="${vigil.url}/sdk/vigil.js"></script>
<script>
  const params = new URLSearchParams(location.search);
  const user = params.get('user');
  const vigil = new Vigil({ clientId: ${JSON.stringify(project.client_id)}, baseUrl: ${JSON.stringify(vigil.url)} });
  const report = (path, body) => fetch(path + '?user=' + encodeURIComponent(user), { method: 'POST', body });
  document.getElementById('login').addEventListener('submit', (event) => {
    event.preventDefault();
    vigil.evaluate.login({ user }).then((r) => report('/report', r.evaluation_id), (e) => report('/report', 'error:' + (e.code || e.message)));
  }, { once: true });
  // The page's origin on the screen: Firefox says it; for Chromium, the window's frame is its sides and top.
  // Said again every half second: a browser's notification bar can push the page down after it loads.
  setInterval(() => {
    const left = window.mozInnerScreenX ?? screenX + (outerWidth - innerWidth) / 2;
    const top = window.mozInnerScreenY ?? screenY + outerHeight - innerHeight;
    const box = (id) => { const r = document.getElementById(id).getBoundingClientRect(); return { x: left + r.left, y: top + r.top, width: r.width, height: r.height }; };
    report('/geometry', JSON.stringify({ email: box('email'), password: box('password'), submit: box('submit') }));
  }, 500);
  if (params.has('autofill')) document.getElementById('email').addEventListener('focus', () => {
    for (const [id, value] of [['email', user + '@example.com'], ['password', 'Correct-Horse-9']]) {
      const field = document.getElementById(id);
      field.value = value;
      field.dispatchEvent(new Event('input', { bubbles: true }));
      field.dispatchEvent(new Event('change', { bubbles: true }));
    }
  }, { once: true });
</script>`;
  const server: Server = createServer((req, res) => {
    const at = new URL(req.url ?? '/', url);
    if (req.method === 'POST' && (at.pathname === '/report' || at.pathname === '/geometry')) {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        (at.pathname === '/report' ? reports : geometries).put(at.searchParams.get('user') ?? '', body);
        res.end();
      });
      return;
    }
    if (at.pathname === '/login') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage);
    if (at.pathname !== '/') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    vigil,
    url,
    project,
    reported: async (user, timeoutMs = 30_000) => {
      const id = await reports.take(user, timeoutMs);
      if (id.startsWith('error:')) throw new Error(`the page for ${user} failed: ${id}`);
      return id;
    },
    loginUrl: (user, options = {}) => `${url}/login?user=${encodeURIComponent(user)}${options.autofill ? '&autofill' : ''}`,
    geometry: async (user, { fresh = false, timeoutMs = 30_000 } = {}) => JSON.parse(await geometries.take(user, timeoutMs, fresh)) as LoginGeometry,
    evaluation: async (id) => {
      const res = await fetch(`${vigil.url}/v3/evaluations/${id}`, { headers: { authorization: `Bearer ${project.secret_key}` } });
      if (!res.ok) throw new Error(`GET evaluation ${id}: ${res.status}`);
      return (await res.json()) as Evaluation;
    },
    stop: async () => {
      await new Promise((resolve) => server.close(resolve));
      await vigil.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
