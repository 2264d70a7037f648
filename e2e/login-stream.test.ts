import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runVigil, startVigil } from './support/vigil-process.js';

// `vigil replay` and `vigil import` as an operator runs them: offline scoring of a login stream with each
// login's own time, and backfilling history so that a new deployment is not cold.
const dir = () => mkdtempSync(join(tmpdir(), 'vigil-logins-'));
const env = () => ({ VIGIL_DATA_DIR: dir() });

const chrome = (major: number) => `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36`;
const iphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 Mobile/15E148 Safari/604.1';
const START = Date.UTC(2026, 0, 5, 8);
const HOUR = 3_600_000;

interface Login {
  ts: string;
  user: string;
  ip: string;
  ua: string;
}

/**
 * A small stream: 30 users who log in from home (Telia Norge, AS25400, two addresses of a /24), now and
 * then from a phone, with a browser update halfway; and, late, one takeover per fifth user from a Vultr
 * server (AS20473) with the victim's exact user agent.
 */
function stream(start = START): Login[] {
  const logins: { at: number; user: string; ip: string; ua: string }[] = [];
  for (let u = 0; u < 30; u++) {
    for (let k = 0; k < 14; k++) {
      const at = start + (k * 24 + u) * HOUR + u * 1000;
      const phone = k % 5 === 4;
      logins.push({ at, user: `user-${u}`, ip: phone ? `84.208.${100 + u}.${(k * 7) % 250}` : `84.208.${u}.${10 + (k % 2)}`, ua: phone ? iphone : chrome(k < 7 ? 142 : 143) });
    }
    if (u % 5 === 0) logins.push({ at: start + (15 * 24 + u) * HOUR, user: `user-${u}`, ip: `45.76.${u}.20`, ua: chrome(143) });
  }
  return logins.sort((a, b) => a.at - b.at).map((l) => ({ ts: new Date(l.at).toISOString(), user: l.user, ip: l.ip, ua: l.ua }));
}

const jsonl = (logins: object[]) => `${logins.map((l, i) => JSON.stringify({ i, ...l })).join('\n')}\n`;

async function replay(logins: object[], extra: string[] = []) {
  const d = dir();
  writeFileSync(join(d, 'in.jsonl'), jsonl(logins));
  const result = await runVigil(['replay', '--input', join(d, 'in.jsonl'), '--output', join(d, 'out.jsonl'), ...extra], env());
  const output = result.code === 0 ? readFileSync(join(d, 'out.jsonl'), 'utf8') : '';
  return {
    ...result,
    output,
    lines: output
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { i: number; score: number; severity: string; checks: string[] }),
  };
}

describe('vigil replay', () => {
  it('scores every line with its own time, the same input always alike, byte for byte', async () => {
    const logins = stream();
    const [first, second] = await Promise.all([replay(logins), replay(logins)]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.lines.map((l) => l.i)).toEqual(logins.map((_, i) => i));
    expect(first.output).toBe(second.output);
    // The takeovers (a server abroad the user never used, with their browser) outscore every login of theirs.
    const byIndex = logins.map((l, i) => ({ ...l, ...first.lines[i]! }));
    const takeovers = byIndex.filter((l) => l.ip.startsWith('45.76.'));
    expect(takeovers).toHaveLength(6);
    for (const t of takeovers) {
      expect(t.severity, JSON.stringify(t)).toMatch(/high|maximum/);
      expect(t.checks).toEqual(expect.arrayContaining(['asn_is_new', 'ip_is_hosting']));
      const own = byIndex.filter((l) => l.user === t.user && l !== t && l.ts > logins[0]!.ts);
      expect(Math.max(...own.slice(1).map((l) => l.score))).toBeLessThan(t.score);
    }
    // A browser update and a second address of the home /24 are ordinary: low.
    const update = byIndex.find((l) => l.user === 'user-3' && l.ua === chrome(143))!;
    expect(update.severity).toBe('low');
  });

  it("gives a line's output from the lines before it only: a different tail leaves the prefix's scores alone", async () => {
    const logins = stream();
    const cut = Math.floor(logins.length * 0.6);
    // The tail's logins in another order, given the tail's times in order (the input stays sorted).
    const tail = logins.slice(cut);
    const shuffled = [...tail].reverse().map((l, k) => ({ ...l, ts: tail[k]!.ts }));
    const [original, changed] = await Promise.all([replay(logins), replay([...logins.slice(0, cut), ...shuffled])]);
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.lines.slice(0, cut)).toEqual(original.lines.slice(0, cut));
    expect(changed.lines.slice(cut)).not.toEqual(original.lines.slice(cut));
  });

  it('stops at the first bad line with its number, and says how to call it', async () => {
    const logins = stream().slice(0, 5);
    const unsorted = await replay([logins[1]!, logins[0]!, ...logins.slice(2)]);
    expect(unsorted.code).toBe(1);
    expect(unsorted.stderr).toMatch(/in\.jsonl:2: the input must be sorted by "ts"/);
    const noUser = await replay([logins[0]!, { ts: logins[1]!.ts, ip: '1.2.3.4' }]);
    expect(noUser).toMatchObject({ code: 1, stderr: expect.stringMatching(/in\.jsonl:2: "user" must be/) });
    const badTime = await replay([{ ...logins[0], ts: 'yesterday' }]);
    expect(badTime.stderr).toMatch(/in\.jsonl:1: "ts" must be an ISO 8601 time/);
    expect(await runVigil(['replay', '--input', 'x'], env())).toMatchObject({ code: 2, stderr: expect.stringContaining('usage: vigil replay') });
    expect(await runVigil(['replay', '--input', 'x', '--output', 'y', '--learning', 'sometimes'], env())).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--learning is one of'),
    });
    // Real vigil processes one after another: 12–14 s alone, up to twice that beside the suite.
  }, 90_000);
});

describe('vigil import', () => {
  const csvOf = (rows: Login[], outcome: (l: Login) => string) =>
    `${['user,time,ip,user_agent,outcome', ...rows.map((l) => [l.user, l.ts, l.ip, `"${l.ua.replaceAll('"', '""')}"`, outcome(l)].join(','))].join('\n')}\n`;

  it("backfills users' familiar sets so their next login is familiar, and refuses a bad file whole", async () => {
    const e = env();
    const project = JSON.parse((await runVigil(['project', 'create', '--name', 'Shop', '--json'], e)).stdout) as { id: string; secret_key: string };
    // Within retention (180 days) of the server's clock: older logins are forgotten, as they would be live.
    const past = stream(Date.now() - 40 * 24 * HOUR).filter((l) => !l.ip.startsWith('45.76.'));
    const d = dir();
    // One refused login (a failure outcome) is never learned, whatever it scores.
    writeFileSync(
      join(d, 'bad.csv'),
      csvOf(past.slice(0, 20), (l) => (l.user === 'user-1' ? 'maybe' : 'success')),
    );
    const bad = await runVigil(['import', '--input', join(d, 'bad.csv')], e);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/outcome "maybe" is neither a success .* nor a failure .*nothing was imported/);
    const refusedLogin = (l: Login) => l.user === 'user-2' && l.ip.endsWith('.11');
    writeFileSync(
      join(d, 'logins.csv'),
      csvOf(past, (l) => (refusedLogin(l) ? 'failed' : 'success')),
    );
    const imported = await runVigil(['import', '--input', join(d, 'logins.csv'), '--json'], e);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ project: project.id, logins: past.length, users: 30 });

    const vigil = await startVigil(e);
    try {
      const evaluate = async (user: string, ip: string, ua: string) => {
        const res = await fetch(`${vigil.url}/v3/evaluations`, {
          method: 'POST',
          headers: { authorization: `Bearer ${project.secret_key}`, 'content-type': 'application/json', 'user-agent': 'shop-backend/1.0' },
          body: JSON.stringify({ action: 'login', user, ip, user_agent: ua }),
        });
        expect(res.status).toBe(201);
        return (await res.json()) as { checks: Record<string, unknown>; risks: { category: string; severity: string }[] };
      };
      const home = await evaluate('user-4', '84.208.4.10', chrome(143));
      expect(home.checks).toMatchObject({ is_new_user: false, is_new_ip: false, asn_is_new: false, ua_family_is_new: false, trusted_login_count: 14 });
      expect(home.risks.find((r) => r.category === 'ato')?.severity).toBe('low');
      // user-2's logins from .11 were refused: counted as seen, never learned.
      const refused = await evaluate('user-2', '84.208.2.11', chrome(143));
      const honoured = past.filter((l) => l.user === 'user-2' && !refusedLogin(l)).length;
      expect(honoured).toBeLessThan(14);
      expect(refused.checks).toMatchObject({ is_new_ip: false, trusted_login_count: honoured });
      const server = await evaluate('user-4', '45.76.4.20', chrome(143));
      expect(server.checks).toMatchObject({ asn_is_new: true, ua_repeats_last_login: true });
      expect(server.risks.find((r) => r.category === 'ato')?.severity).toMatch(/high|maximum/);
    } finally {
      await vigil.stop();
    }
    // Real vigil processes one after another: 12–14 s alone, up to twice that beside the suite.
  }, 90_000);
});
