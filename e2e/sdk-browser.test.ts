import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.js';
import { freePort } from './support/free-port.js';

// @vigil/client's IIFE build in a real Chromium, against a stand-in Vigil server that records what the
// SDK sends and answers what each test asks for. (The real server is exercised by e2e/login.test.ts.)

const bundle = readFileSync(new URL('../packages/sdk-browser/dist/vigil.js', import.meta.url), 'utf8');

interface Recorded {
  path: string;
  body: Record<string, unknown>;
  cookie: string | undefined;
}

let server: Server;
let baseUrl: string;
let browser: Browser;
let recorded: Recorded[];
let evaluateReply: { status: number; body: string };

const page = (clientId = 'cl_test') => `<!doctype html><html><head><title>shop</title><script src="/sdk/vigil.js"></script></head>
<body><script>window.vigil = new Vigil({ clientId: ${JSON.stringify(clientId)} });</script></body></html>`;

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : {};
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    if (req.method === 'GET' && req.url === '/sdk/vigil.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    if (req.method === 'GET' && req.url?.startsWith('/challenge')) return res.writeHead(200, { 'content-type': 'text/html' }).end('<title>challenge</title>');
    if (req.method === 'GET') return res.writeHead(200, { 'content-type': 'text/html' }).end(page());
    const body = await readBody(req);
    recorded.push({ path: req.url ?? '', body, cookie: req.headers.cookie });
    if (req.url === '/v3/client/nonce') {
      return res
        .writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'vigil_did=device-1; Path=/; HttpOnly; SameSite=Lax' })
        .end(JSON.stringify({ nonce: `nonce-${recorded.length}` }));
    }
    res.writeHead(evaluateReply.status, { 'content-type': 'application/json' }).end(evaluateReply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

beforeEach(() => {
  recorded = [];
  evaluateReply = { status: 200, body: JSON.stringify({ evaluation_id: 'ev_1' }) };
});

async function openPage(context?: BrowserContext): Promise<Page> {
  const p = await (context ?? browser).newPage();
  await p.goto(baseUrl);
  return p;
}

type Outcome = { ok: true; value: unknown } | { ok: false; name: string; code: string; status: number | null; message: string };

/** Runs `vigil.evaluate…` in the page and brings back the result or the VigilError's fields. */
function inPage(p: Page, script: string): Promise<Outcome> {
  return p.evaluate(async (source) => {
    try {
      // biome-ignore lint/complexity/noCommaOperator: an indirect eval, in the page's global scope, is the point: the script is the page's own code.
      // biome-ignore lint/security/noGlobalEval: the test's own script, run in the page as a site would run it.
      const value = await (0, eval)(source);
      return { ok: true as const, value };
    } catch (e) {
      const error = e as { name: string; code: string; status: number | null; message: string };
      return { ok: false as const, name: error.name, code: error.code, status: error.status, message: error.message };
    }
  }, script);
}

describe('@vigil/client in Chromium', () => {
  it('gets a nonce, then evaluates with it, the device cookie and the signals, and returns only the id', async () => {
    const p = await openPage();
    const outcome = await inPage(p, `vigil.evaluate.login({ user: 'alice', email: 'a@example.com', metadata: { plan: 'pro' } })`);
    expect(outcome).toEqual({ ok: true, value: { evaluation_id: 'ev_1' } });
    expect(recorded.map((r) => r.path)).toEqual(['/v3/client/nonce', '/v3/client/evaluate']);
    expect(recorded[0]!.body).toEqual({ client_id: 'cl_test' });
    const evaluate = recorded[1]!;
    expect(evaluate.cookie).toBe('vigil_did=device-1');
    expect(evaluate.body).toMatchObject({ client_id: 'cl_test', action: 'login', user: 'alice', email: 'a@example.com', metadata: { plan: 'pro' }, nonce: 'nonce-1' });
    expect(evaluate.body).not.toHaveProperty('phone');
    const signals = evaluate.body.signals as { fingerprint: string; attributes: Record<string, { value?: unknown; error?: string; ms: number }> };
    expect(signals.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(signals.attributes.timezone?.value).toBe(await p.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone));
    expect(signals.attributes.languages?.value).toEqual(await p.evaluate(() => [...navigator.languages]));
    expect(signals.attributes.canvas?.value).toMatch(/^[0-9a-f]{32}$/);
    expect(signals.attributes.user_agent?.value).toContain('Chrome');
    for (const [name, result] of Object.entries(signals.attributes)) {
      expect(typeof result.ms, name).toBe('number');
      expect('value' in result || 'error' in result, name).toBe(true);
    }
    await p.close();
  });

  it('has a method per action, and action(name) for custom ones', async () => {
    const p = await openPage();
    for (const call of ['signup({ user: "u" })', 'checkout({ user: "u" })', 'action("password_reset", { user: "u" })']) {
      expect((await inPage(p, `vigil.evaluate.${call}`)).ok).toBe(true);
    }
    const actions = recorded.filter((r) => r.path === '/v3/client/evaluate').map((r) => r.body.action);
    expect(actions).toEqual(['signup', 'checkout', 'password_reset']);
    await p.close();
  });

  it('keeps the same fingerprint across reloads, pages and resizes, and Vigil.getHash() returns it', async () => {
    const context = await browser.newContext();
    const p = await openPage(context);
    const first = await inPage(p, 'Vigil.getHash()');
    await p.reload();
    await p.setViewportSize({ width: 700, height: 500 });
    const afterReload = await inPage(p, 'Vigil.getHash()');
    const other = await openPage(context);
    await inPage(other, 'vigil.evaluate.login({ user: "alice" })');
    const sent = (recorded.at(-1)!.body.signals as { fingerprint: string }).fingerprint;
    expect(first.ok && typeof first.value === 'string' && first.value).toMatch(/^[0-9a-f]{32}$/);
    expect(afterReload).toEqual(first);
    expect(sent).toBe((first as { value: string }).value);
    await context.close();
  });

  it('gives another fingerprint to a browser with another profile (time zone, languages)', async () => {
    const a = await browser.newContext({ timezoneId: 'Europe/Oslo', locale: 'nb-NO' });
    const b = await browser.newContext({ timezoneId: 'America/New_York', locale: 'en-US' });
    const hashA = await inPage(await openPage(a), 'Vigil.getHash()');
    const hashB = await inPage(await openPage(b), 'Vigil.getHash()');
    expect(hashA.ok && hashB.ok).toBe(true);
    expect(hashA).not.toEqual(hashB);
    await a.close();
    await b.close();
  });

  it('rejects bad arguments with INVALID_ARGUMENT before sending anything', async () => {
    const p = await openPage();
    for (const script of [
      'vigil.evaluate.login({})',
      'vigil.evaluate.login()',
      'vigil.evaluate.action("Bad Name!", { user: "u" })',
      'new Vigil({})',
      'new Vigil({ clientId: "cl", on_logout: 1 })',
    ]) {
      expect(await inPage(p, script), script).toMatchObject({ ok: false, name: 'VigilError', code: 'INVALID_ARGUMENT', status: null });
    }
    expect(recorded).toEqual([]);
    await p.close();
  });

  it("surfaces the server's error code and status, and says when the server cannot be reached", async () => {
    const p = await openPage();
    evaluateReply = { status: 403, body: JSON.stringify({ error: { code: 'ORIGIN_NOT_ALLOWED', message: 'This origin may not use this client id' } }) };
    expect(await inPage(p, 'vigil.evaluate.login({ user: "alice" })')).toEqual({
      ok: false,
      name: 'VigilError',
      code: 'ORIGIN_NOT_ALLOWED',
      status: 403,
      message: 'This origin may not use this client id',
    });
    evaluateReply = { status: 502, body: '<html>Bad gateway</html>' };
    expect(await inPage(p, 'vigil.evaluate.login({ user: "alice" })')).toMatchObject({ ok: false, code: 'BAD_RESPONSE', status: 502 });
    const closed = await freePort();
    const down = await inPage(p, `new Vigil({ clientId: 'cl_test', baseUrl: 'http://127.0.0.1:${closed}' }).evaluate.login({ user: 'alice' })`);
    expect(down).toMatchObject({ ok: false, name: 'VigilError', code: 'NETWORK_ERROR', status: null });
    await p.close();
  });

  it('returns a challenge redirect to the app for a login, and follows it itself for access', async () => {
    evaluateReply = { status: 200, body: JSON.stringify({ evaluation_id: 'ev_2', redirect: `${baseUrl}/challenge/ch_1` }) };
    const p = await openPage();
    expect(await inPage(p, 'vigil.evaluate.login({ user: "alice" })')).toEqual({ ok: true, value: { evaluation_id: 'ev_2', redirect: `${baseUrl}/challenge/ch_1` } });
    expect(p.url()).toBe(`${baseUrl}/`);
    // Start access() without awaiting its promise inside the page: it navigates away, which destroys the
    // page's execution context, so waiting on it from here would race the navigation.
    await Promise.all([
      // …and tells the page where to bring the user back: the page they were on.
      p.waitForURL(`${baseUrl}/challenge/ch_1?r=${encodeURIComponent(`${baseUrl}/`)}`),
      p.evaluate(() => {
        void (window as unknown as { vigil: { evaluate: { access(o: object): Promise<unknown> } } }).vigil.evaluate.access({ user: 'alice' });
      }),
    ]);
    expect(await p.title()).toBe('challenge');
    await p.close();
  });
});

describe('a device logged out by a device-limit challenge', () => {
  it('calls on_logout, then goes to the logout page the evaluation names', async () => {
    evaluateReply = { status: 200, body: JSON.stringify({ evaluation_id: 'ev_3', redirect: `${baseUrl}/challenge/logged-out`, logout: true }) };
    const p = await openPage();
    await p.evaluate(() => {
      const w = window as unknown as { Vigil: new (o: object) => unknown; app: unknown; loggedOut: number };
      w.loggedOut = 0;
      // What an app does in on_logout: end its own session. The SDK navigates after it returns.
      w.app = new w.Vigil({
        clientId: 'cl_test',
        on_logout: () => {
          w.loggedOut += 1;
          sessionStorage.setItem('logged-out', String(w.loggedOut));
        },
      });
    });
    await Promise.all([
      p.waitForURL(`${baseUrl}/challenge/logged-out`),
      p.evaluate(() => {
        void (window as unknown as { app: { evaluate: { login(o: object): Promise<unknown> } } }).app.evaluate.login({ user: 'alice' });
      }),
    ]);
    expect(await p.evaluate(() => sessionStorage.getItem('logged-out'))).toBe('1');
    await p.close();
  });
});

describe('the browser bundle', () => {
  it('stays within its 15 kB gzipped budget and has no third-party code', () => {
    expect(gzipSync(bundle).length).toBeLessThanOrEqual(15 * 1024);
    const manifest = JSON.parse(readFileSync(new URL('../packages/sdk-browser/package.json', import.meta.url), 'utf8'));
    expect(manifest.dependencies ?? {}).toEqual({});
  });
});
