import { escapeHtml } from '../../escape-html.js';

// The two pages the dashboard serves before there is a session: log in, and create the first operator.
// Plain forms, server-rendered: they work before (and without) the SPA.

const STYLE = `:root{color-scheme:light dark;--fg:#1b1f24;--bg:#f6f7f9;--card:#fff;--accent:#2563eb;--bad:#b42318;--muted:#5b6472}
@media (prefers-color-scheme:dark){:root{--fg:#e6e8eb;--bg:#0f1115;--card:#181b21;--accent:#6ea8fe;--bad:#ff8a80;--muted:#9aa3ad}}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,sans-serif;background:var(--bg);color:var(--fg)}
main{max-width:24rem;margin:10vh auto;padding:2rem 1.5rem;background:var(--card);border-radius:12px;box-shadow:0 1px 3px #0002}
h1{font-size:1.35rem;margin:0 0 1rem}.brand{color:var(--muted);font-size:.9rem;margin:0 0 .5rem;font-weight:600;letter-spacing:.04em}
label{display:block;font-weight:600;margin:1rem 0 .35rem}input{width:100%;font:inherit;padding:.55rem .75rem;border:1px solid var(--muted);border-radius:8px;background:transparent;color:inherit}
button{width:100%;font:inherit;font-weight:600;padding:.7rem;margin-top:1.25rem;border:0;border-radius:8px;background:var(--accent);color:#fff;cursor:pointer}
.alert{color:var(--bad);font-weight:600}.notice{color:var(--muted)}`;

const page = (title: string, body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · Vigil</title><style>${STYLE}</style></head><body><main><p class="brand">VIGIL</p>${body}</main></body></html>`;

const alertOf = (alert?: string) => (alert ? `<p class="alert" role="alert">${escapeHtml(alert)}</p>` : '');

export function loginPage(state: { email?: string; alert?: string; notice?: string } = {}): string {
  return page(
    'Log in',
    `<h1>Log in to the dashboard</h1>${alertOf(state.alert)}${state.notice ? `<p class="notice" role="status">${escapeHtml(state.notice)}</p>` : ''}
<form method="post" action="/dashboard/login"><label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(state.email ?? '')}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Log in</button></form>`,
  );
}

export function setupPage(state: { token: string; email?: string; alert?: string }): string {
  return page(
    'Create the first operator',
    `<h1>Create the first operator</h1><p class="notice">This account runs the dashboard. More operators can be added later.</p>${alertOf(state.alert)}
<form method="post" action="/dashboard/setup"><input type="hidden" name="token" value="${escapeHtml(state.token)}">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(state.email ?? '')}">
<label for="password">Password (12 characters or more)</label><input id="password" name="password" type="password" autocomplete="new-password" minlength="12" required>
<button type="submit">Create and log in</button></form>`,
  );
}

export function setupClosedPage(): string {
  return page(
    'Setup',
    `<h1>Setup is done</h1><p class="alert" role="alert">An operator already exists, or this link is not valid.</p><p><a href="/dashboard/login">Log in</a></p>`,
  );
}
