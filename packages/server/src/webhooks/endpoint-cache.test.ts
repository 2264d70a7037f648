import { openStore, type Store } from '@vigil/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebhookEndpointCache } from './endpoint-cache.js';

// On a real SQLite store, counting the reads the cache makes.
describe('WebhookEndpointCache', () => {
  let store: Store;
  let projectId: string;
  let reads: number;
  let now: number;
  beforeEach(async () => {
    store = await openStore({ dialect: 'sqlite', file: ':memory:' });
    await store.migrate();
    projectId = (await store.projects.create({ name: 'A', allowedOrigins: [], now: 1 })).project.id;
    reads = 0;
    now = 1_000;
    const endpoints = store.webhooks.endpoints;
    store.webhooks.endpoints = (id) => {
      reads++;
      return endpoints(id);
    };
  });
  afterEach(() => store.close());

  const endpoint = (id: string) => ({ id, url: `https://hooks.example/${id}`, secret: 'whsec_test', events: ['evaluation.created'] });

  it('reads a project once for everything that asks while the read is in flight, and again once the entry ran out', async () => {
    await store.webhooks.createEndpoint(projectId, endpoint('we_1'), 1);
    const cache = new WebhookEndpointCache(store, () => now);
    const answers = await Promise.all(Array.from({ length: 20 }, () => cache.subscribed(projectId, 'evaluation.created')));
    expect(reads).toBe(1);
    for (const answer of answers) expect(answer.map((e) => e.id)).toEqual(['we_1']);
    await cache.get(projectId);
    expect(reads).toBe(1);
    now += 2_000;
    await Promise.all([cache.get(projectId), cache.get(projectId)]);
    expect(reads).toBe(2);
  });

  it('never keeps, nor hands on, a read that overlapped a write on this node', async () => {
    const cache = new WebhookEndpointCache(store, () => now);
    // The first read finds no endpoint, and is held until after the write.
    const endpoints = store.webhooks.endpoints;
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    store.webhooks.endpoints = async (id) => {
      const found = await endpoints(id);
      await held;
      return found;
    };
    const before = cache.get(projectId);
    await store.webhooks.createEndpoint(projectId, endpoint('we_2'), 2);
    cache.forget(projectId);
    store.webhooks.endpoints = endpoints;
    // Asked after the write: a read of its own, which sees the endpoint, rather than joining the old one.
    expect((await cache.get(projectId)).map((e) => e.id)).toEqual(['we_2']);
    release();
    expect(await before).toEqual([]);
    // The old read ended last, and was not kept over the new one.
    expect((await cache.get(projectId)).map((e) => e.id)).toEqual(['we_2']);
  });
});
