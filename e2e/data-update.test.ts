import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningVigil, runVigil, startVigil } from './support/vigil-process.js';

// `vigil data update` against a local mirror of the upstream lists (tests never touch the internet): the
// refreshed lists land in the data directory, a running server picks them up without a restart, and a
// failed download keeps the previous copy.

const bundled = new URL('../packages/intel/data/', import.meta.url);
const NEW_EXIT = '84.208.1.1'; // a residential Oslo address, in no bundled list
let mirror: Server;
let mirrorUrl: string;
let failing = new Set<string>();
let dataDir: string;
let vigil: RunningVigil;
let secretKey: string;

beforeAll(async () => {
  mirror = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').slice(1));
    if (failing.has(path)) return res.writeHead(500).end('<html>upstream down</html>');
    try {
      let body = readFileSync(new URL(path, bundled), 'utf8');
      // Upstream has moved on: a new exit appeared.
      if (path.startsWith('ip/tor/')) body = `${NEW_EXIT}\n${body}`;
      res.writeHead(200, { 'content-type': 'text/plain' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => mirror.listen(0, '127.0.0.1', resolve));
  mirrorUrl = `http://127.0.0.1:${(mirror.address() as AddressInfo).port}`;
  dataDir = mkdtempSync(join(tmpdir(), 'vigil-data-'));
  vigil = await startVigil({ VIGIL_DATA_DIR: dataDir });
  secretKey = /secret key\s+(sk_\w+)/.exec(vigil.output())![1]!;
});

afterAll(async () => {
  await vigil?.stop();
  await new Promise((resolve) => mirror?.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${vigil.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${secretKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return res.json();
};
const torCheck = async () => (await api('POST', '/v3/evaluations', { action: 'login', user: 'u', ip: NEW_EXIT })).checks.ip_is_tor;

describe('vigil data update', () => {
  it('refreshes the lists into the data directory, and the running server picks them up', async () => {
    expect(await torCheck()).toBe(false);
    const before = (await api('GET', '/v3/reference-data')).data.find((l: { name: string }) => l.name === 'tor_exits');
    expect(before).toMatchObject({ snapshot: '2024-02-27', kind: 'ip' });
    expect(before.age_days).toBeGreaterThan(900);

    const update = await runVigil(['data', 'update', '--from', mirrorUrl, '--json'], { VIGIL_DATA_DIR: dataDir });
    expect(update.code, update.stderr).toBe(0);
    const results = JSON.parse(update.stdout) as { list: string; status: string }[];
    expect(results.find((r) => r.list === 'tor_exits')).toMatchObject({ status: 'updated' });
    expect(results.every((r) => r.status === 'updated')).toBe(true);

    // No restart: the server notices the new manifest within seconds.
    await expect.poll(torCheck, { timeout: 20_000, interval: 500 }).toBe(true);
    const after = (await api('GET', '/v3/reference-data')).data.find((l: { name: string }) => l.name === 'tor_exits');
    expect(after).toMatchObject({ age_days: 0, entries: before.entries + 1 });
    const lookup = await runVigil(['lookup', 'ip', NEW_EXIT], { VIGIL_DATA_DIR: dataDir });
    expect(JSON.parse(lookup.stdout)).toMatchObject({ type: 'tor', list_age_days: 0 });
    // A real server, a refresh and a poll: 9 s alone, up to twice that beside the suite.
  }, 90_000);

  it('keeps the previous copy of a list whose download fails, and says so', async () => {
    failing = new Set(['ip/tor/tor_exit_nodes_2024-02-27.lst']);
    const update = await runVigil(['data', 'update', '--from', mirrorUrl], { VIGIL_DATA_DIR: dataDir });
    expect(update.code).toBe(1);
    expect(update.stdout).toMatch(/FAILED\s+tor_exits: .*500/);
    expect(update.stdout).toMatch(/updated\s+x4bnet_vpn/);
    const lookup = await runVigil(['lookup', 'ip', NEW_EXIT], { VIGIL_DATA_DIR: dataDir });
    expect(JSON.parse(lookup.stdout)).toMatchObject({ type: 'tor' });
  });
});
