import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SECRET_FILE, loadInstallationSecret } from './installation-secret.js';

// The key that seals stored passwords lives outside the database (it used to be a row next to what it
// sealed, so a database dump opened them): VIGIL_SECRET, or a key file in the data directory.
describe('the installation secret', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-secret-'));
    dirs.push(dir);
    return join(dir, 'data'); // not there yet: the first start creates it
  };

  it('is one key when several processes start on a new data directory at once (no one reads it half written)', async () => {
    const dir = dataDir();
    // Two nodes of a cluster started together on a fresh directory: the loser read the winner's file
    // between its creation and its write, found it empty, and refused to start.
    const secrets = await Promise.all(Array.from({ length: 20 }, () => loadInstallationSecret({ secret: null, dataDir: dir })));
    expect(new Set(secrets).size).toBe(1);
    expect(readFileSync(join(dir, SECRET_FILE), 'utf8').trim()).toBe(secrets[0]);
    expect(statSync(join(dir, SECRET_FILE)).mode & 0o777).toBe(0o600);
  });

  it('is one key when several separate processes start on a new data directory at once', async () => {
    // Processes, as nodes are: each its own thread pool racing on the file (the built module: npm test builds first).
    const module = new URL('../../dist/settings/installation-secret.js', import.meta.url).href;
    const start = (dir: string) =>
      new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          [
            '--input-type=module',
            '-e',
            `import { loadInstallationSecret } from '${module}'; console.log(await loadInstallationSecret({ secret: null, dataDir: process.argv[1] }));`,
            dir,
          ],
          (error, stdout) => (error ? reject(error) : resolve(stdout.trim())),
        ),
      );
    for (let round = 0; round < 3; round++) {
      const dir = dataDir();
      const secrets = await Promise.all(Array.from({ length: 10 }, () => start(dir)));
      expect(new Set(secrets).size).toBe(1);
      expect(readdirSync(dir)).toEqual([SECRET_FILE]); // no draft left behind
    }
  });

  it('is created at first start as a 0600 key file in the data directory, and the same one is read afterwards', async () => {
    const dir = dataDir();
    const first = await loadInstallationSecret({ secret: null, dataDir: dir });
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url
    const file = join(dir, SECRET_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(await loadInstallationSecret({ secret: null, dataDir: dir })).toBe(first);
    expect(await loadInstallationSecret({ secret: null, dataDir: dataDir() })).not.toBe(first); // another installation, another key
  });

  it('is VIGIL_SECRET when set, whatever the key file holds, and then no file is made', async () => {
    const dir = dataDir();
    const fromFile = await loadInstallationSecret({ secret: null, dataDir: dir });
    const configured = 'x'.repeat(40);
    expect(await loadInstallationSecret({ secret: configured, dataDir: dir })).toBe(configured);
    expect(readFileSync(join(dir, SECRET_FILE), 'utf8').trim()).toBe(fromFile); // left alone
    const other = dataDir();
    await loadInstallationSecret({ secret: configured, dataDir: other });
    expect(() => statSync(join(other, SECRET_FILE))).toThrow();
  });

  it('stops with a clear error, rather than replacing it, when the key file is too short or unreadable', async () => {
    const dir = dataDir();
    await loadInstallationSecret({ secret: null, dataDir: dir });
    const file = join(dir, SECRET_FILE);
    writeFileSync(file, 'short\n');
    await expect(loadInstallationSecret({ secret: null, dataDir: dir })).rejects.toThrow(/shorter than 32 characters.*VIGIL_SECRET/);
    expect(readFileSync(file, 'utf8')).toBe('short\n');
    // Unreadable: a directory where the file should be (chmod 000 would not stop root, which tests may run as).
    rmSync(file);
    mkdirSync(file);
    await expect(loadInstallationSecret({ secret: null, dataDir: dir })).rejects.toThrow(/Cannot read the installation secret .*secret\.key/);
  });
});
