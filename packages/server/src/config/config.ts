import { resolve } from 'node:path';
import { parseIp } from '@vigil/intel';
import { type SmtpServer, parseSmtpUrl } from '../challenges/smtp-url.js';

// The one place that reads the environment. Every setting is parsed once at start and every problem is
// reported at once, so an operator fixes a bad configuration in one go. The README's configuration table
// is generated from `settings` below (`npm run docs`), and a test fails when the two drift apart.

export interface Config {
  host: string;
  port: number;
  /** Where the SQLite database lives (and, later, refreshed reference data). */
  dataDir: string;
  /** Where `vigil data update` keeps refreshed reference data: `<data dir>/reference`. */
  referenceDir: string;
  database: { dialect: 'sqlite'; file: string; walBytes: number } | { dialect: 'postgres'; url: string; schema?: string; poolSize: number; groupSize: number };
  /** REDIS_URL: the Redis that nodes share counters and change notices through; null: this node alone. */
  redisUrl: string | null;
  /** VIGIL_NODE_NAME: how this node is named among the live nodes (default: host name and process id). */
  nodeName: string | null;
  /** The URL browsers reach this server at (printed at start, used in redirects); null: the address it listens on. */
  publicUrl: string | null;
  trustedProxies: string[];
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bodyLimitBytes: number;
  /** How many IPs, user agents and emails intel remembers, each (VIGIL_INTEL_CACHE_SIZE). */
  intelCacheSize: number;
  /** How many users' familiar sets are kept parsed (VIGIL_FAMILIARITY_CACHE_SIZE). */
  familiarityCacheSize: number;
  nonceTtlMs: number;
  retentionMs: number;
  /** Mail-exchanger lookups: null when off; no servers means the system's resolvers. */
  dns: { servers: string[] } | null;
  /** VIGIL_SMTP_PROBE: the port `email_is_accept_all` probes mail exchangers on, or null when off (needs VIGIL_DNS). */
  smtpProbePort: number | null;
  /** The SMTP server verification codes go through (SMTP_URL, read into its fields), or null: email challenges cannot send. */
  mail: { server: SmtpServer; from: string } | null;
  /** The SMS adapter (VIGIL_SMS); `none` when unset: SMS is not configured and the hosted page offers email only. */
  sms:
    | { adapter: 'none' }
    | { adapter: 'console' }
    | { adapter: 'file'; path: string }
    | { adapter: 'twilio'; accountSid: string; authToken: string; from: string; baseUrl: string };
  /** The dashboard operator to create at start when there is none (VIGIL_ADMIN_EMAIL, VIGIL_ADMIN_PASSWORD). */
  admin: { email: string; password: string } | null;
  /** VIGIL_SECRET: the installation secret that seals stored passwords; null: a key file in the data dir (created at first start). */
  secret: string | null;
  /** VIGIL_ALLOW_PRIVATE_DESTINATIONS: projects' SMTP and webhook URLs may point at private, loopback and link-local addresses. */
  allowPrivateDestinations: boolean;
  /** VIGIL_RATE_LIMITS: requests (or code sends) allowed per window, per key of each family; a limit of 0 is off. */
  rateLimits: RateLimits;
}

/** A window and how many requests one key may make in it (0: no limit). */
export interface RateLimit {
  limit: number;
  windowMs: number;
}

/** Every rate-limited family (SPEC §11, docs/security.md). */
export interface RateLimits {
  /** `/v3/client/*` requests per client address. */
  client_ip: RateLimit;
  /** `/v3/client/*` requests per client id (all addresses together). */
  client_id: RateLimit;
  /** Server-API requests (`/v3/*`, `/v2/*`) per secret key. */
  api_key: RateLimit;
  /** Verification codes sent per user (SMS pumping, mail bombing). */
  code_user: RateLimit;
  /** Verification codes sent per destination (one phone number or address, whichever user it is for). */
  code_destination: RateLimit;
  /** Requests about one challenge (hosted page views, sends, verifications), from any channel. */
  challenge: RateLimit;
}

export const defaultRateLimits: RateLimits = {
  client_ip: { limit: 300, windowMs: 60_000 },
  client_id: { limit: 120_000, windowMs: 60_000 },
  api_key: { limit: 60_000, windowMs: 60_000 },
  code_user: { limit: 10, windowMs: 3_600_000 },
  code_destination: { limit: 10, windowMs: 3_600_000 },
  challenge: { limit: 60, windowMs: 60_000 },
};

export type Env = Record<string, string | undefined>;

interface Setting {
  name: string;
  default: string;
  description: string;
}

export const settings: readonly Setting[] = [
  { name: 'HOST', default: '127.0.0.1', description: 'Address to listen on. `0.0.0.0` to listen on every interface.' },
  { name: 'PORT', default: '8080', description: 'Port to listen on (0 picks a free one).' },
  { name: 'VIGIL_DATA_DIR', default: './data', description: 'Directory of the embedded SQLite database (`vigil.db`).' },
  {
    name: 'VIGIL_SQLITE_WAL_MB',
    default: '256',
    description:
      'SQLite: how large the write-ahead log (`vigil.db-wal`) may grow under steady writes before it starts over. Each start-over makes evaluations wait for two fsyncs (milliseconds on a busy disk), so a smaller log makes them wait more often; a server that is not busy starts over in its quiet moments and keeps a small log.',
  },
  {
    name: 'DATABASE_URL',
    default: '(unset: SQLite)',
    description: '`postgres://user@host:5432/db` selects PostgreSQL instead of the embedded SQLite database.',
  },
  { name: 'DATABASE_SCHEMA', default: '(unset: `public`)', description: "PostgreSQL schema to keep Vigil's tables in (created when missing)." },
  {
    name: 'VIGIL_DATABASE_POOL_SIZE',
    default: '10',
    description:
      "PostgreSQL connections this node opens at most. Nodes × pool size must stay under the server's `max_connections` (100 by default), with room for backups and `psql`.",
  },
  {
    name: 'VIGIL_DATABASE_GROUP_SIZE',
    default: '8',
    description:
      'PostgreSQL: most evaluations sharing one transaction under load (a group commit: one begin and one commit for all, so less CPU per evaluation on both sides). Their statements take turns on its connection, so over a slow network a smaller group answers sooner; 1 gives each evaluation its own.',
  },
  {
    name: 'REDIS_URL',
    default: '(unset: one node)',
    description:
      "`redis://host:6379` (or `rediss://`, with a password if set): several nodes on one database share rate limits and dashboard login attempts through it, and hear of each other's policy writes at once. Needed by every node of a cluster (docs/deploy.md); while it is down, evaluations answer `503 UNAVAILABLE`.",
  },
  {
    name: 'VIGIL_NODE_NAME',
    default: '(unset: host name and process id)',
    description: 'How this node is named among the live nodes on its database (the warning when several share one without Redis).',
  },
  {
    name: 'VIGIL_PUBLIC_URL',
    default: '`http://HOST:PORT`',
    description: "The URL browsers reach Vigil at (behind a proxy, the proxy's URL); printed at start, used in challenge redirects.",
  },
  {
    name: 'TRUSTED_PROXIES',
    default: '(none)',
    description: "Comma-separated IPs or CIDRs of reverse proxies whose `X-Forwarded-For` is believed. Nobody else's is.",
  },
  { name: 'LOG_LEVEL', default: 'info', description: '`fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`. Secrets are never logged.' },
  {
    name: 'VIGIL_INTEL_CACHE_SIZE',
    default: '10000',
    description:
      'How many IPs, how many user agents and how many emails are remembered with what the reference data says of them (least recently used go first); 0 remembers none. Memory: about 1 kB each, a few kB at most (a user agent is at most 2,048 characters).',
  },
  {
    name: 'VIGIL_FAMILIARITY_CACHE_SIZE',
    default: '5000',
    description:
      "How many users' familiar sets (what their trusted logins looked like) are kept parsed, so that a user's next login does not parse theirs again (least recently used go first); 0 keeps none. Exact whoever wrote the user: kept by the stored text itself. Memory: a few kB each.",
  },
  { name: 'VIGIL_BODY_LIMIT_BYTES', default: '65536', description: 'Largest request body accepted; larger ones get `413 PAYLOAD_TOO_LARGE`.' },
  { name: 'VIGIL_NONCE_TTL_SECONDS', default: '120', description: 'How long a browser nonce stays valid.' },
  {
    name: 'VIGIL_RETENTION_DAYS',
    default: '180',
    description:
      'Days evaluations, challenges and sightings are kept (a project may set its own): older ones are deleted hourly, and an IP, fingerprint or device unseen for longer is new again.',
  },
  {
    name: 'VIGIL_DNS',
    default: 'off',
    description:
      "Mail-exchanger checks of email domains (`email_is_invalid` for a domain that cannot receive mail): `off`, `system` (the machine's resolvers), or comma-separated `host:port` DNS servers.",
  },
  {
    name: 'VIGIL_SMTP_PROBE',
    default: 'off',
    description:
      "`email_is_accept_all`: whether an email domain's mail exchanger accepts mail for any address, asked once per domain (cached a day) with a random address at the domain, never the user's: `off`, `on` (port 25), or another port. Needs `VIGIL_DNS`; null while unknown (port 25 is often closed on cloud hosts).",
  },
  {
    name: 'SMTP_URL',
    default: '(unset: no email codes)',
    description:
      'SMTP server for verification codes of every project without its own (`PUT /v3/settings/mail`), e.g. `smtp://127.0.0.1:2525` or `smtps://user:pass@mail.example.com`.',
  },
  { name: 'MAIL_FROM', default: '`Vigil <vigil@localhost>`', description: 'Sender of verification emails.' },
  {
    name: 'VIGIL_ADMIN_EMAIL',
    default: '(unset: the first start prints a setup link)',
    description: 'With `VIGIL_ADMIN_PASSWORD` (12 characters or more): the dashboard operator created at start when there is none.',
  },
  { name: 'VIGIL_ADMIN_PASSWORD', default: '(unset)', description: 'The password of `VIGIL_ADMIN_EMAIL` (only its hash is kept).' },
  {
    name: 'VIGIL_SMS',
    default: '(unset: no SMS codes)',
    description:
      'SMS adapter for verification codes: `twilio` (with `TWILIO_ACCOUNT_SID`, `TWILIO_AUTH_TOKEN`, `TWILIO_FROM`, optional `TWILIO_BASE_URL`), `file:/path` (appends JSON lines) or `console` (prints codes to the log: development only). Unset, the hosted page offers email only.',
  },
  {
    name: 'VIGIL_SECRET',
    default: '(unset: `<data dir>/secret.key`)',
    description:
      "The installation secret (32 characters or more) that seals stored passwords (projects' SMTP passwords). Unset, a random one is created at first start in `VIGIL_DATA_DIR/secret.key` (mode 0600). Keep it outside the database's backups, and back it up: without it sealed settings must be set again.",
  },
  {
    name: 'VIGIL_ALLOW_PRIVATE_DESTINATIONS',
    default: 'false',
    description: "`true` lets projects' SMTP and webhook URLs reach loopback, private and link-local addresses (a project on a private network). `SMTP_URL` is always trusted.",
  },
  {
    name: 'VIGIL_RATE_LIMITS',
    default: '`client_ip=300/1m,client_id=120000/1m,api_key=60000/1m,code_user=10/1h,code_destination=10/1h,challenge=60/1m`',
    description:
      'Rate limits, each `name=count/window` (window `30s`, `1m`, `1h`), comma-separated; those not named keep their default; `name=0` turns one off, `off` all. Past a limit: `429 RATE_LIMITED` with `Retry-After`. See docs/security.md.',
  },
];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(env: Env, cwd: string = process.cwd()): Config {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(raw)}`);
      return fallback;
    }
    return value;
  };

  const host = text('HOST') ?? '127.0.0.1';
  const port = integer('PORT', 8080, 0, 65535);
  const dataDir = resolve(cwd, text('VIGIL_DATA_DIR') ?? './data');

  const walMb = integer('VIGIL_SQLITE_WAL_MB', 256, 1, 65_536);
  let database: Config['database'] = { dialect: 'sqlite', file: resolve(dataDir, 'vigil.db'), walBytes: walMb * 1024 * 1024 };
  const databaseUrl = text('DATABASE_URL');
  const schema = text('DATABASE_SCHEMA');
  if (databaseUrl !== undefined) {
    if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
      database = {
        dialect: 'postgres',
        url: databaseUrl,
        ...(schema ? { schema } : {}),
        poolSize: integer('VIGIL_DATABASE_POOL_SIZE', 10, 1, 1000),
        groupSize: integer('VIGIL_DATABASE_GROUP_SIZE', 8, 1, 64),
      };
    } else {
      // Never echo the URL: it may hold a password.
      problems.push('DATABASE_URL must start with postgres:// or postgresql:// (leave it unset for the embedded SQLite database)');
    }
  }
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    problems.push(`DATABASE_SCHEMA must be a lower-case PostgreSQL identifier, not ${JSON.stringify(schema)}`);
  }

  let publicUrl: string | null = null;
  const publicUrlText = text('VIGIL_PUBLIC_URL');
  if (publicUrlText !== undefined) {
    try {
      const url = new URL(publicUrlText);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
      publicUrl = url.href.replace(/\/$/, '');
    } catch {
      problems.push(`VIGIL_PUBLIC_URL must be an http(s) URL, not ${JSON.stringify(publicUrlText)}`);
    }
  }

  const trustedProxies = (text('TRUSTED_PROXIES') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const proxy of trustedProxies) {
    const [address, bits, ...rest] = proxy.split('/');
    const ip = address === undefined ? null : parseIp(address);
    const maxBits = ip?.version === 4 ? 32 : 128;
    if (!ip || rest.length > 0 || (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= maxBits))) {
      problems.push(`TRUSTED_PROXIES: ${JSON.stringify(proxy)} is not an IP address or CIDR range`);
    }
  }

  const logLevel = (text('LOG_LEVEL') ?? 'info') as Config['logLevel'];
  if (!logLevels.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${logLevels.join(', ')}, not ${JSON.stringify(logLevel)}`);

  const bodyLimitBytes = integer('VIGIL_BODY_LIMIT_BYTES', 65_536, 1024, 10 * 1024 * 1024);
  const intelCacheSize = integer('VIGIL_INTEL_CACHE_SIZE', 10_000, 0, 10_000_000);
  const familiarityCacheSize = integer('VIGIL_FAMILIARITY_CACHE_SIZE', 5_000, 0, 10_000_000);
  const nonceTtlMs = integer('VIGIL_NONCE_TTL_SECONDS', 120, 5, 3600) * 1000;
  const retentionMs = integer('VIGIL_RETENTION_DAYS', 180, 1, 3650) * 86_400_000;

  const dnsText = (text('VIGIL_DNS') ?? 'off').trim();
  let dns: Config['dns'] = null;
  if (dnsText === 'system') dns = { servers: [] };
  else if (dnsText !== 'off') {
    const servers = dnsText
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = servers.filter((server) => {
      const match = /^(.+?)(?::(\d{1,5}))?$/.exec(server.replace(/^\[(.+)\](:\d+)?$/, '$1$2'));
      return !match || !parseIp(match[1]!) || (match[2] !== undefined && Number(match[2]) > 65_535);
    });
    if (servers.length === 0 || bad.length > 0) problems.push(`VIGIL_DNS must be off, system, or DNS servers as ip[:port], not ${JSON.stringify(dnsText)}`);
    else dns = { servers };
  }

  const probeText = (text('VIGIL_SMTP_PROBE') ?? 'off').trim().toLowerCase();
  let smtpProbePort: number | null = null;
  if (probeText === 'on') smtpProbePort = 25;
  else if (/^\d{1,5}$/.test(probeText) && Number(probeText) >= 1 && Number(probeText) <= 65_535) smtpProbePort = Number(probeText);
  else if (probeText !== 'off') problems.push(`VIGIL_SMTP_PROBE must be off, on, or a port, not ${JSON.stringify(probeText)}`);
  if (smtpProbePort !== null && dns === null) problems.push('VIGIL_SMTP_PROBE needs VIGIL_DNS (the probe finds the mail exchanger by DNS)');

  let mail: Config['mail'] = null;
  const smtpUrl = text('SMTP_URL');
  if (smtpUrl !== undefined) {
    // Read into its fields once, by the one parser projects' URLs go through too: only those fields ever
    // reach the mail library, and a URL with options (`?sendmail=true&path=…`) stops the start. Never
    // echo the URL: it may hold a password.
    const parsed = parseSmtpUrl(smtpUrl);
    if (parsed.ok) mail = { server: parsed.server, from: text('MAIL_FROM') ?? 'Vigil <vigil@localhost>' };
    else problems.push(`SMTP_URL ${parsed.problem}`);
  }

  let sms: Config['sms'] = { adapter: 'none' };
  const smsText = text('VIGIL_SMS') ?? 'none';
  if (smsText === 'console') sms = { adapter: 'console' };
  else if (smsText.startsWith('file:') && smsText.length > 5) sms = { adapter: 'file', path: resolve(cwd, smsText.slice(5)) };
  else if (smsText === 'twilio') {
    const [accountSid, authToken, from] = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'].map(text);
    if (!accountSid || !authToken || !from) problems.push('VIGIL_SMS=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM');
    else sms = { adapter: 'twilio', accountSid, authToken, from, baseUrl: (text('TWILIO_BASE_URL') ?? 'https://api.twilio.com').replace(/\/+$/, '') };
  } else if (smsText !== 'none') problems.push(`VIGIL_SMS must be console, file:/path or twilio, not ${JSON.stringify(smsText)}`);

  let admin: Config['admin'] = null;
  const [adminEmail, adminPassword] = [text('VIGIL_ADMIN_EMAIL'), text('VIGIL_ADMIN_PASSWORD')];
  if (adminEmail !== undefined || adminPassword !== undefined) {
    // Never echo the password.
    if (!adminEmail || !/^[^@\s]+@[^@\s]+$/.test(adminEmail)) problems.push('VIGIL_ADMIN_EMAIL must be an email address (with VIGIL_ADMIN_PASSWORD)');
    else if (!adminPassword || adminPassword.length < 12) problems.push('VIGIL_ADMIN_PASSWORD must be 12 characters or more (with VIGIL_ADMIN_EMAIL)');
    else admin = { email: adminEmail, password: adminPassword };
  }

  const secret = text('VIGIL_SECRET') ?? null;
  // Never echo the secret.
  if (secret !== null && secret.length < 32) problems.push('VIGIL_SECRET must be 32 characters or more (or leave it unset for a key file in the data directory)');

  const allowPrivateText = (text('VIGIL_ALLOW_PRIVATE_DESTINATIONS') ?? 'false').toLowerCase();
  if (allowPrivateText !== 'true' && allowPrivateText !== 'false') problems.push(`VIGIL_ALLOW_PRIVATE_DESTINATIONS must be true or false, not ${JSON.stringify(allowPrivateText)}`);
  const allowPrivateDestinations = allowPrivateText === 'true';

  const rateLimits = parseRateLimits(text('VIGIL_RATE_LIMITS'), problems);

  const redisUrl = text('REDIS_URL') ?? null;
  // Never echo the URL: it may hold a password.
  if (redisUrl !== null && !/^rediss?:\/\/[^\s]+$/.test(redisUrl)) problems.push('REDIS_URL must start with redis:// or rediss:// (leave it unset for a single node)');
  const nodeName = text('VIGIL_NODE_NAME') ?? null;
  if (nodeName !== null && !/^[\w.@:-]{1,100}$/.test(nodeName))
    problems.push(`VIGIL_NODE_NAME must be 1 to 100 letters, digits, and . _ - @ :, not ${JSON.stringify(nodeName.slice(0, 120))}`);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    host,
    port,
    dataDir,
    referenceDir: resolve(dataDir, 'reference'),
    database,
    redisUrl,
    nodeName,
    publicUrl,
    trustedProxies,
    logLevel,
    bodyLimitBytes,
    intelCacheSize,
    familiarityCacheSize,
    nonceTtlMs,
    retentionMs,
    dns,
    smtpProbePort,
    mail,
    sms,
    admin,
    secret,
    allowPrivateDestinations,
    rateLimits,
  };
}

const windowUnits: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000 };

/** `client_ip=300/1m,code_user=0`: named limits over the defaults; `off` turns every one off. */
function parseRateLimits(raw: string | undefined, problems: string[]): RateLimits {
  const limits: RateLimits = structuredClone(defaultRateLimits);
  if (raw === undefined) return limits;
  if (raw === 'off') {
    for (const name of Object.keys(limits) as (keyof RateLimits)[]) limits[name] = { ...limits[name], limit: 0 };
    return limits;
  }
  for (const part of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^([a-z_]+)=(\d{1,9})(?:\/(\d{1,6})([smh]))?$/.exec(part);
    const name = match?.[1] as keyof RateLimits | undefined;
    if (!match || !name || !(name in limits)) {
      problems.push(`VIGIL_RATE_LIMITS: ${JSON.stringify(part)} is not name=count/window with a name among ${Object.keys(limits).join(', ')} (e.g. client_ip=300/1m)`);
      continue;
    }
    const windowMs = match[3] === undefined ? limits[name].windowMs : Number(match[3]) * windowUnits[match[4]!]!;
    if (windowMs <= 0) problems.push(`VIGIL_RATE_LIMITS: ${name}'s window must be longer than 0`);
    else limits[name] = { limit: Number(match[2]), windowMs };
  }
  return limits;
}

/** The README's configuration table, generated from `settings`. */
export function configTableMarkdown(): string {
  const rows = settings.map((s) => `| \`${s.name}\` | ${s.default} | ${s.description} |`);
  return ['| variable | default | what it does |', '|---|---|---|', ...rows].join('\n');
}
