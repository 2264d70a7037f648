import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@vigil/store';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config/config.js';
import { type RunningServer, startServer } from './server.js';
import { seal, unseal } from './settings/seal.js';
import { LEGACY_SEAL_SECRET } from './use-cases/reseal-project-mail.js';

// What startServer does with the installation secret (finding 3: the key sealing SMTP passwords sat in
// the database beside them) and with SMTP_URL (finding 1: only an SMTP URL's fields reach nodemailer).
describe('starting the server', () => {
  const dirs: string[] = [];
  const running: RunningServer[] = [];
  afterEach(async () => {
    for (const server of running.splice(0)) await server.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const start = async (env: Record<string, string>) => {
    const server = await startServer(loadConfig({ PORT: '0', LOG_LEVEL: 'silent', ...env }), { print: () => undefined });
    running.push(server);
    return server;
  };
  const mailSettings = async (server: RunningServer, secretKey: string) => {
    const res = await server.app.inject({ method: 'GET', url: '/v3/settings/mail', headers: { authorization: `Bearer ${secretKey}` } });
    return { status: res.statusCode, body: res.json() };
  };

  it('says at start that SMS is off when VIGIL_SMS is unset, and how to turn it on (it used to print codes)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vigil-start-'));
    dirs.push(dataDir);
    const printed: string[] = [];
    running.push(await startServer(loadConfig({ PORT: '0', LOG_LEVEL: 'silent', VIGIL_DATA_DIR: dataDir }), { print: (text) => printed.push(text) }));
    expect(printed.join('\n')).toMatch(/SMS codes are off \(VIGIL_SMS is unset\).*VIGIL_SMS=twilio/);
  });

  it('re-seals mail settings sealed with the in-database key under a 0600 key file, reused at the next start; VIGIL_SECRET wins over it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vigil-start-'));
    dirs.push(dataDir);
    // An installation from before: its project's SMTP settings sealed with instance_secrets' settings_seal.
    const before = await openStore({ dialect: 'sqlite', file: join(dataDir, 'vigil.db') });
    await before.migrate();
    const created = await before.projects.create({ name: 'Shop', allowedOrigins: [], now: Date.now() });
    const legacy = await before.instanceSecrets.get(LEGACY_SEAL_SECRET, Date.now());
    const sealedOld = seal(legacy, JSON.stringify({ url: 'smtps://codes:s3cret@mail.example.com:2465', from: 'Shop <security@shop.example>' }));
    await before.projects.setMailSettings(created.project.id, sealedOld, Date.now());
    await before.close();

    const first = await start({ VIGIL_DATA_DIR: dataDir });
    const expected = { source: 'project', smtp: { host: 'mail.example.com', port: 2465, secure: true, user: 'codes' }, mail_from: 'Shop <security@shop.example>' };
    expect(await mailSettings(first, created.secretKey)).toEqual({ status: 200, body: expected });
    const keyFile = join(dataDir, 'secret.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const fileSecret = readFileSync(keyFile, 'utf8').trim();
    const resealed = (await first.store.projects.mailSettings(created.project.id))!;
    expect(resealed).not.toBe(sealedOld);
    expect(unseal(legacy, resealed)).toBeNull();
    expect(unseal(fileSecret, resealed)).not.toBeNull();
    await running.pop()!.close();

    const second = await start({ VIGIL_DATA_DIR: dataDir });
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(fileSecret);
    expect(await mailSettings(second, created.secretKey)).toEqual({ status: 200, body: expected });
    expect(await second.store.projects.mailSettings(created.project.id)).toBe(resealed);
    await running.pop()!.close();

    // VIGIL_SECRET is the installation secret when set: what the key file sealed does not open with it.
    const third = await start({ VIGIL_DATA_DIR: dataDir, VIGIL_SECRET: 'a configured installation secret, 32+ chars' });
    expect(await mailSettings(third, created.secretKey)).toMatchObject({ status: 409, body: { error: { code: 'MAIL_SETTINGS_UNREADABLE' } } });
  }, 60_000); // three real starts, each loading the reference data

  it('refuses to start with an SMTP_URL carrying options (regression: ?sendmail=true&path=… ran a program)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vigil-start-'));
    dirs.push(dataDir);
    const refused = start({ VIGIL_DATA_DIR: dataDir, SMTP_URL: 'smtp://127.0.0.1:2525?sendmail=true&path=%2Fbin%2Fsh' });
    await expect(refused).rejects.toThrow(ConfigError);
    await expect(refused).rejects.toThrow(/SMTP_URL must not have a query string/);
  });
});
