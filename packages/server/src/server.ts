import { keepParsedProfiles, type NewProject, type Store, openStore } from '@vigil/store';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config/config.js';
import { createProject } from './use-cases/create-project.js';
import type { Deps } from './use-cases/deps.js';
import { createDelivery } from './challenges/delivery.js';
import { dispatchDueWebhooks } from './webhooks/dispatcher.js';
import { purgeExpired } from './use-cases/retention.js';
import { PolicyCache } from './use-cases/policy-cache.js';
import { MemoryCounters, RateLimiter, RedisCounters } from './rate-limits/index.js';
import { randomUUID } from 'node:crypto';
import { type Redis, closeRedis, connectRedis } from './cluster/redis.js';
import { type ChangeNotices, redisChangeNotices } from './cluster/change-notices.js';
import { defaultNodeName, startHeartbeat } from './cluster/heartbeat.js';
import { Intel, MailExchanger } from '@vigil/intel';
import { watchReferenceData } from './reference-data/watch.js';
import { ensureOperator } from './operators/sessions.js';
import { loadInstallationSecret } from './settings/installation-secret.js';
import { resealProjectMail } from './use-cases/reseal-project-mail.js';
import { WebhookEndpointCache } from './webhooks/endpoint-cache.js';
import { acceptAllProbeFor } from './destinations/accept-all-probe.js';

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  store: Store;
  close(): Promise<void>;
}

export async function openConfiguredStore(config: Config): Promise<Store> {
  keepParsedProfiles(config.familiarityCacheSize);
  return openStore(config.database);
}

/** The first start of an empty database creates a project, so a newcomer can protect a login at once. */
async function ensureDefaultProject(deps: Deps): Promise<NewProject | null> {
  if ((await deps.store.projects.count()) > 0) return null;
  return createProject(deps, { name: 'Default project', origins: [] });
}

function firstStartBanner(created: NewProject, url: string): string {
  return [
    '',
    `First start: created the project "${created.project.name}" (${created.project.id}).`,
    `  client id   ${created.project.clientId}`,
    `  secret key  ${created.secretKey}`,
    "  The secret key is shown this once; keep it in your backend's secrets. `npx vigil key rotate` issues a new one.",
    '',
    `  In your page:    <script src="${url}/sdk/vigil.js"></script>`,
    `                   const vigil = new Vigil({ clientId: '${created.project.clientId}', baseUrl: '${url}' });`,
    `  In your backend: new VigilAPI(process.env.VIGIL_SECRET_KEY, { baseUrl: '${url}' })`,
    '',
  ].join('\n');
}

export async function startServer(config: Config, options: { logger?: boolean; print?: (text: string) => void; now?: () => number } = {}): Promise<RunningServer> {
  const print = options.print ?? ((text: string) => process.stdout.write(`${text}\n`));
  const sealSecret = await loadInstallationSecret(config);
  const store = await openConfiguredStore(config);
  // Until the app (and its logger) exists, what the cluster parts say goes to the console.
  let logger: FastifyInstance['log'] | null = null;
  const log = {
    info: (message: string) => (logger ? logger.info(message) : console.log(message)),
    warn: (message: string) => (logger ? logger.warn(message) : console.warn(message)),
  };
  let redis: Redis | null = null;
  let notices: ChangeNotices | null = null;
  try {
    await store.migrate();
    // Known only once listening (PORT=0 picks a port): challenge links made before that never happen.
    let listenUrl = `http://${config.host}:${config.port}`;
    const now = options.now ?? Date.now;
    const policies = new PolicyCache(store, now);
    // REDIS_URL: the nodes of a cluster share their rate-limit counters and hear of each other's policy
    // writes through it (docs/deploy.md). Without it this node keeps both to itself.
    if (config.redisUrl !== null) {
      redis = await connectRedis(config.redisUrl, log);
      notices = redisChangeNotices(redis, log);
      policies.listen(notices);
    }
    const counters = redis ? new RedisCounters(redis) : new MemoryCounters();
    const mailExchanger = config.dns ? new MailExchanger({ servers: config.dns.servers }) : null;
    const deps: Deps = {
      config,
      store,
      now,
      publicUrl: () => config.publicUrl ?? listenUrl,
      policies,
      webhookEndpoints: new WebhookEndpointCache(store, now),
      redis,
      intel: Intel.load({ referenceDir: config.referenceDir, cacheSize: config.intelCacheSize }),
      mailExchanger,
      acceptAll: acceptAllProbeFor(config, mailExchanger),
      delivery: createDelivery(config, { info: (o, m) => console.log(`${m}: ${JSON.stringify(o)}`), warn: (o, m) => console.warn(`${m}: ${JSON.stringify(o)}`) }),
      sealSecret,
      rateLimiter: new RateLimiter(counters, config.rateLimits, now),
    };
    // Mail settings sealed with the old in-database key move to the installation secret.
    const resealed = await resealProjectMail(deps);
    const created = await ensureDefaultProject(deps);
    const app = await buildApp(deps, { logger: options.logger ?? false });
    logger = app.log;
    const heartbeat = await startHeartbeat(
      store,
      { id: `node_${randomUUID()}`, name: config.nodeName ?? defaultNodeName(), startedAt: now(), sharesState: redis !== null },
      now,
      log,
    );
    if (resealed.resealed > 0) app.log.info({ projects: resealed.resealed }, 'mail settings re-sealed with the installation secret');
    // Spent and expired nonces are only worth keeping briefly; sweep them so the table stays small.
    const sweep = setInterval(() => {
      store.nonces.prune(deps.now() - 3_600_000).catch((err: unknown) => app.log.warn({ err }, 'nonce sweep failed'));
    }, 60_000);
    sweep.unref();
    // Reference data refreshed by `vigil data update` (in another process) is picked up without a restart.
    const reload = watchReferenceData(config.referenceDir, (intel) => {
      deps.intel = intel(deps.intel);
      app.log.info('reference data reloaded');
    });
    // Webhooks wait in the database and go out from here, retried with backoff until delivered.
    let dispatching = false;
    const webhooks = setInterval(() => {
      if (dispatching) return;
      dispatching = true;
      dispatchDueWebhooks({ ...deps, log: app.log })
        .catch((err: unknown) => app.log.warn({ err }, 'webhook dispatch failed'))
        .finally(() => (dispatching = false));
    }, 1_000);
    webhooks.unref();
    // Retention: what a project keeps past its period goes, at start and then hourly.
    let purging: Promise<void> | null = null;
    const purge = () => {
      purging ??= purgeExpired(deps)
        .then((purged) => {
          const total = [...purged.values()].reduce((n, p) => n + p.evaluations + p.challenges + p.sightings, 0);
          if (total > 0) app.log.info({ purged: Object.fromEntries(purged) }, 'retention: deleted what was past its retention');
        })
        .catch((err: unknown) => app.log.warn({ err }, 'retention purge failed'))
        .finally(() => (purging = null));
    };
    const retention = setInterval(purge, 3_600_000);
    retention.unref();
    setImmediate(purge);
    app.addHook('onClose', async () => {
      await heartbeat.stop();
      clearInterval(retention);
      await purging;
      clearInterval(webhooks);
      clearInterval(sweep);
      clearInterval(reload);
      await notices?.close();
      if (redis) await closeRedis(redis);
    });
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    const url = `http://${host}:${port}`;
    listenUrl = url;
    // Printed straight to the terminal, once, never through the logger: the secret key exists nowhere else.
    if (created) print(firstStartBanner(created, config.publicUrl ?? url));
    // The dashboard's first operator: from VIGIL_ADMIN_* when set, else a setup link (until one exists).
    const setup = await ensureOperator(deps, config.publicUrl ?? url);
    if (setup) print(setup);
    // Unset VIGIL_SMS is no longer a console that prints codes: say what is off and how to turn it on.
    if (config.sms.adapter === 'none')
      print(
        'SMS codes are off (VIGIL_SMS is unset): the challenge page offers email only. Set VIGIL_SMS=twilio with TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM to send them.',
      );
    if (config.sms.adapter === 'console') print('VIGIL_SMS=console: SMS codes are printed to this log. For development only.');
    print(`Vigil is listening on ${url}  (API description: ${url}/openapi.json)`);
    return {
      url,
      app,
      store,
      close: async () => {
        await app.close();
        await store.close();
      },
    };
  } catch (err) {
    await notices?.close();
    if (redis) await closeRedis(redis);
    await store.close();
    throw err;
  }
}
