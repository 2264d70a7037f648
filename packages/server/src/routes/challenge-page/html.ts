import { escapeHtml } from '../../escape-html.js';

// The hosted challenge page: plain HTML forms (they work without JavaScript), one small stylesheet,
// readable on a phone, branded with the project's name.

export interface PageState {
  projectName: string;
  challengeId: string;
  token: string;
  /** What to show. */
  view: 'send' | 'enter_code' | 'devices' | 'completed' | 'failed' | 'skipped' | 'overridden' | 'link_invalid';
  /** The policy lets the user skip this verification. */
  allowSkip?: boolean;
  /** The device-limit challenge: the account's active devices, and how many may stay. */
  devices?: { id: string; label: string; place: string | null; lastSeen: string; current: boolean }[];
  deviceLimit?: number;
  /** The device-limit challenge: where someone using another's account can get their own (the policy's success URL). */
  ownAccountUrl?: string;
  channels: ('email' | 'sms')[];
  destination?: string;
  /** A problem to say (wrong code, too soon…), or news (code sent). */
  alert?: string;
  notice?: string;
  successUrl?: string;
  /** Access protection: the page to go back to, carried through every form. */
  returnTo?: string;
}

const STYLE = `
:root{color-scheme:light dark;--fg:#1b1f24;--bg:#f6f7f9;--card:#fff;--accent:#2563eb;--bad:#b42318;--muted:#5b6472}
@media (prefers-color-scheme:dark){:root{--fg:#e6e8eb;--bg:#0f1115;--card:#181b21;--accent:#6ea8fe;--bad:#ff8a80;--muted:#9aa3ad}}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,sans-serif;background:var(--bg);color:var(--fg)}
main{max-width:26rem;margin:8vh auto;padding:2rem 1.5rem;background:var(--card);border-radius:12px;box-shadow:0 1px 3px #0002}
h1{font-size:1.35rem;margin:0 0 .25rem}.brand{color:var(--muted);font-size:.9rem;margin:0 0 1.5rem}
label{display:block;font-weight:600;margin:1rem 0 .35rem}input{width:100%;font:inherit;font-size:1.5rem;letter-spacing:.3em;padding:.5rem .75rem;border:1px solid var(--muted);border-radius:8px;background:transparent;color:inherit}
button{width:100%;font:inherit;font-weight:600;padding:.7rem;margin-top:1rem;border:0;border-radius:8px;background:var(--accent);color:#fff;cursor:pointer}
button.link{background:none;color:var(--accent);padding:.25rem;margin-top:.5rem}
.devices{list-style:none;padding:0}.devices li{padding:.75rem 0;border-top:1px solid #8884}.devices button{width:auto;padding:.4rem 1rem;margin-top:.5rem}
.alert{color:var(--bad);font-weight:600}.notice{color:var(--muted)}a{color:var(--accent)}`;

export function renderPage(state: PageState): string {
  const hidden = `<input type="hidden" name="t" value="${escapeHtml(state.token)}">${state.returnTo ? `<input type="hidden" name="r" value="${escapeHtml(state.returnTo)}">` : ''}`;
  const action = (what: string) => `/challenge/${encodeURIComponent(state.challengeId)}/${what}`;
  const alert = state.alert ? `<p class="alert" role="alert">${escapeHtml(state.alert)}</p>` : '';
  const notice = state.notice ? `<p class="notice" role="status">${escapeHtml(state.notice)}</p>` : '';
  const channelWord = (c: 'email' | 'sms') => (c === 'email' ? 'email' : 'text message');
  const skip = state.allowSkip ? `<form method="post" action="${action('skip')}">${hidden}<button class="link" type="submit">Skip for now</button></form>` : '';
  let body: string;
  switch (state.view) {
    case 'send':
      body = `<h1>Verify it's you</h1><p>To keep your account safe, we'll send you a 6-digit code${state.destination ? ` at <strong>${escapeHtml(state.destination)}</strong>` : ''}.</p>${alert}
${state.channels.map((c) => `<form method="post" action="${action('send')}">${hidden}<input type="hidden" name="channel" value="${c}"><button type="submit">Send the code by ${channelWord(c)}</button></form>`).join('\n')}${skip}`;
      break;
    case 'enter_code':
      body = `<h1>Enter your code</h1>${notice}${alert}
<form method="post" action="${action('verify')}">${hidden}<label for="code">6-digit code</label>
<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required autofocus>
<button type="submit">Verify</button></form>
<form method="post" action="${action('send')}">${hidden}<button class="link" type="submit">Send a new code</button></form>${skip}`;
      break;
    case 'devices': {
      const items = (state.devices ?? [])
        .map(
          (
            d,
          ) => `<li><strong>${escapeHtml(d.label)}</strong>${d.current ? ' · this device' : ''}<br><span class="notice">${d.place ? `${escapeHtml(d.place)} · ` : ''}last used ${escapeHtml(d.lastSeen)}</span>
${d.current ? '' : `<form method="post" action="${action('logout')}">${hidden}<input type="hidden" name="device" value="${escapeHtml(d.id)}"><button type="submit" aria-label="Log out ${escapeHtml(d.label)}">Log out</button></form>`}</li>`,
        )
        .join('\n');
      // The extra user (an account shared past its limit) is offered the policy's success URL: their own signup.
      const own = state.ownAccountUrl ? `<p class="notice">Not your account? <a href="${escapeHtml(state.ownAccountUrl)}">Get your own</a></p>` : '';
      body = `<h1>Too many devices</h1><p>This account can be used on ${state.deviceLimit ?? 1} device${state.deviceLimit === 1 ? '' : 's'} at a time. Log out the ones you no longer use to continue.</p>${notice}${alert}<ul class="devices">${items}</ul>${own}`;
      break;
    }
    case 'completed':
      body = `<h1>You're all set</h1>${notice}<p>Thank you. You can go back to ${escapeHtml(state.projectName)} now.</p>${state.successUrl ? `<p><a href="${escapeHtml(state.successUrl)}">Continue</a></p>` : ''}`;
      break;
    case 'failed':
      body = `<h1>Verification failed</h1><p class="alert" role="alert">${escapeHtml(state.alert ?? 'This verification can no longer be completed.')}</p><p>Go back to ${escapeHtml(state.projectName)} and try again.</p>`;
      break;
    case 'skipped':
      body = `<h1>Skipped</h1><p>You skipped this verification.</p>${state.successUrl ? `<p><a href="${escapeHtml(state.successUrl)}">Continue</a></p>` : `<p>You can go back to ${escapeHtml(state.projectName)} now.</p>`}`;
      break;
    case 'overridden':
      body = `<h1>This link was replaced</h1><p class="alert" role="alert">A newer verification was started on this device. Use the latest link, or go back to ${escapeHtml(state.projectName)} and try again.</p>`;
      break;
    case 'link_invalid':
      body = `<h1>This link has expired</h1><p class="alert" role="alert">${escapeHtml(state.alert ?? 'Go back to the application and try again.')}</p>`;
      break;
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Verify it's you · ${escapeHtml(state.projectName)}</title><style>${STYLE}</style></head>
<body><main><p class="brand">${escapeHtml(state.projectName)}</p>${body}</main></body></html>`;
}
