import { Intel } from '@vigil/intel';
import { openStore } from '@vigil/store';
import { buildApp } from '../app.js';
import { createDelivery } from '../challenges/delivery.js';
import { loadConfig } from '../config/config.js';
import { PolicyCache } from '../use-cases/policy-cache.js';
import { MemoryCounters, RateLimiter } from '../rate-limits/index.js';
import { WebhookEndpointCache } from '../webhooks/endpoint-cache.js';

/**
 * The OpenAPI document the server serves at /openapi.json, built from the routes' schemas by an app
 * that never listens (an in-memory database). `npm run docs` writes it to
 * docs/openapi.json, from which the dashboard's API types are generated.
 */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const store = await openStore({ dialect: 'sqlite', file: ':memory:' });
  const config = loadConfig({ VIGIL_DATA_DIR: '/nonexistent' });
  const now = () => 0;
  const app = await buildApp(
    {
      config,
      store,
      now,
      publicUrl: () => 'http://localhost',
      policies: new PolicyCache(store, now),
      webhookEndpoints: new WebhookEndpointCache(store, now),
      redis: null,
      intel: Intel.load(),
      mailExchanger: null,
      acceptAll: null,
      delivery: createDelivery(config, { info: () => undefined, warn: () => undefined }),
      sealSecret: 'never used: this app only describes its routes',
      rateLimiter: new RateLimiter(new MemoryCounters(), config.rateLimits, now),
    },
    { logger: false },
  );
  try {
    await app.ready();
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
    await store.close();
  }
}

/** The document as committed: two-space JSON and a final newline, so diffs stay readable. */
export const openApiText = (document: Record<string, unknown>) => `${JSON.stringify(document, null, 2)}\n`;
