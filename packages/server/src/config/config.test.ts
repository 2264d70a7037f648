import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has defaults that need nothing: SQLite in ./data on 127.0.0.1:8080', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      dataDir: '/srv/app/data',
      database: { dialect: 'sqlite', file: '/srv/app/data/vigil.db', walBytes: 256 * 1024 * 1024 },
      publicUrl: null,
      trustedProxies: [],
      bodyLimitBytes: 65_536,
      nonceTtlMs: 120_000,
      retentionMs: 180 * 86_400_000,
    });
  });

  it('sizes the SQLite write-ahead log from VIGIL_SQLITE_WAL_MB, and refuses a size that is not a whole number of MB', () => {
    expect(loadConfig({ VIGIL_SQLITE_WAL_MB: '64' }, '/srv').database).toEqual({ dialect: 'sqlite', file: '/srv/data/vigil.db', walBytes: 64 * 1024 * 1024 });
    expect(() => loadConfig({ VIGIL_SQLITE_WAL_MB: '0.5' }, '/srv')).toThrow(/VIGIL_SQLITE_WAL_MB must be a whole number from 1 to 65536/);
  });

  it('reads every setting', () => {
    const config = loadConfig(
      {
        HOST: '0.0.0.0',
        PORT: '9000',
        VIGIL_DATA_DIR: 'var/vigil',
        DATABASE_URL: 'postgres://vigil@db:5432/vigil',
        DATABASE_SCHEMA: 'vigil',
        VIGIL_DATABASE_GROUP_SIZE: '2',
        VIGIL_PUBLIC_URL: 'https://vigil.example/',
        TRUSTED_PROXIES: '10.0.0.1, 2001:db8::/32',
        LOG_LEVEL: 'warn',
        VIGIL_NONCE_TTL_SECONDS: '60',
        VIGIL_RETENTION_DAYS: '30',
      },
      '/srv',
    );
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 9000,
      dataDir: resolve('/srv/var/vigil'),
      database: { dialect: 'postgres', url: 'postgres://vigil@db:5432/vigil', schema: 'vigil', poolSize: 10, groupSize: 2 },
      publicUrl: 'https://vigil.example',
      trustedProxies: ['10.0.0.1', '2001:db8::/32'],
      logLevel: 'warn',
      nonceTtlMs: 60_000,
      retentionMs: 30 * 86_400_000,
    });
  });

  it('reports every problem at once, and never echoes a database URL', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://root:hunter2@db/vigil',
        TRUSTED_PROXIES: 'proxy.internal,10.0.0.0/99',
        LOG_LEVEL: 'loud',
        VIGIL_PUBLIC_URL: 'ftp://x',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(6);
    expect(problems.join('\n')).toMatch(/PORT[\s\S]*DATABASE_URL[\s\S]*VIGIL_PUBLIC_URL[\s\S]*proxy\.internal[\s\S]*10\.0\.0\.0\/99[\s\S]*LOG_LEVEL/);
    expect((error as Error).message).not.toContain('hunter2');
  });
});

describe('VIGIL_DNS', () => {
  it('is off by default, system on request, or a list of servers; anything else is a problem', () => {
    expect(loadConfig({}).dns).toBeNull();
    expect(loadConfig({ VIGIL_DNS: 'system' }).dns).toEqual({ servers: [] });
    expect(loadConfig({ VIGIL_DNS: '127.0.0.1:5353, 9.9.9.9' }).dns).toEqual({ servers: ['127.0.0.1:5353', '9.9.9.9'] });
    expect(() => loadConfig({ VIGIL_DNS: 'dns.example' })).toThrow(/VIGIL_DNS/);
  });

  it('probes mail exchangers for accept-all (VIGIL_SMTP_PROBE) only on request, and only with DNS on', () => {
    expect(loadConfig({}).smtpProbePort).toBeNull();
    expect(loadConfig({ VIGIL_DNS: 'system', VIGIL_SMTP_PROBE: 'on' }).smtpProbePort).toBe(25);
    expect(loadConfig({ VIGIL_DNS: 'system', VIGIL_SMTP_PROBE: '2525' }).smtpProbePort).toBe(2525);
    expect(() => loadConfig({ VIGIL_SMTP_PROBE: 'on' })).toThrow(/VIGIL_SMTP_PROBE needs VIGIL_DNS/);
    expect(() => loadConfig({ VIGIL_DNS: 'system', VIGIL_SMTP_PROBE: 'yes' })).toThrow(/VIGIL_SMTP_PROBE must be/);
    expect(() => loadConfig({ VIGIL_DNS: 'system', VIGIL_SMTP_PROBE: '70000' })).toThrow(/VIGIL_SMTP_PROBE must be/);
  });

  it('reads the code delivery settings: SMTP for email, an adapter for SMS, and lists what is wrong', () => {
    expect(loadConfig({}, '/srv')).toMatchObject({ mail: null, sms: { adapter: 'none' } });
    expect(loadConfig({ VIGIL_SMS: 'console' }, '/srv')).toMatchObject({ sms: { adapter: 'console' } });
    expect(loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525', MAIL_FROM: 'Shop <s@shop.example>', VIGIL_SMS: 'file:sms.jsonl' }, '/srv')).toMatchObject({
      mail: { server: { host: '127.0.0.1', port: 2525, secure: false, user: null, pass: null }, from: 'Shop <s@shop.example>' },
      sms: { adapter: 'file', path: resolve('/srv/sms.jsonl') },
    });
    expect(loadConfig({ VIGIL_SMS: 'twilio', TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 'tok', TWILIO_FROM: '+15550001111' }).sms).toEqual({
      adapter: 'twilio',
      accountSid: 'AC1',
      authToken: 'tok',
      from: '+15550001111',
      baseUrl: 'https://api.twilio.com',
    });
    try {
      loadConfig({ SMTP_URL: 'http://user:secret@mail', VIGIL_SMS: 'twilio' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'SMTP_URL must be an smtp:// or smtps:// URL',
        'VIGIL_SMS=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM',
      ]);
      expect((error as Error).message).not.toContain('secret');
    }
  });
});
