import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A browser process started as a person would start it: no driver, no debugging port, its own profile. */
export interface PlainBrowser {
  close(): Promise<void>;
}

function started(command: string, args: string[], env: Record<string, string>, profile: string): PlainBrowser {
  // Its own process group, so closing it stops the browser's helper processes too.
  const child: ChildProcess = spawn(command, args, { env: { ...process.env, ...env }, stdio: 'ignore', detached: true });
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // Already gone.
    }
  };
  return {
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        signal('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
      }
      signal('SIGKILL');
      // A helper may still be flushing the profile for a moment after the group was told to stop.
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    },
  };
}

/** Debian's Chromium on a fresh profile, with this machine's required flags and nothing else of ours. */
export function plainChromium(url: string, { display, args = [], env = {} }: { display?: string; args?: string[]; env?: Record<string, string> } = {}): PlainBrowser {
  const profile = mkdtempSync(join(tmpdir(), 'vigil-chromium-'));
  const flags = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--no-default-browser-check', `--user-data-dir=${profile}`];
  if (!display) flags.push('--headless');
  return started(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', [...flags, ...args, url], display ? { ...env, DISPLAY: display } : env, profile);
}

/** Debian's firefox-esr on a fresh profile with the given preferences (user.js): headless unless given a display. */
export function plainFirefox(
  url: string,
  { prefs = {}, args = [], display }: { prefs?: Record<string, string | boolean | number>; args?: string[]; display?: string } = {},
): PlainBrowser {
  const profile = mkdtempSync(join(tmpdir(), 'vigil-firefox-'));
  // No first-run pages, tabs, bars or prompts, so the page given is the one that opens and stays in front.
  const all = {
    'browser.startup.homepage_override.mstone': 'ignore',
    'browser.aboutwelcome.enabled': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'datareporting.policy.dataSubmissionPolicyBypassNotification': true,
    'datareporting.policy.firstRunURL': '',
    'startup.homepage_welcome_url': '',
    'startup.homepage_welcome_url.additional': '',
    'browser.uitour.enabled': false,
    'toolkit.telemetry.reportingpolicy.firstRun': false,
    'browser.shell.checkDefaultBrowser': false,
    ...prefs,
  };
  writeFileSync(
    join(profile, 'user.js'),
    Object.entries(all)
      .map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`)
      .join('\n'),
  );
  const mode = display ? [] : ['--headless'];
  return started(process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr', [...mode, '--no-remote', '--profile', profile, ...args, url], display ? { DISPLAY: display } : {}, profile);
}
