import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, type TestDialect, bearer, createHarness } from '../../test-support/harness.js';
import { RETRY_DELAYS_MS, dispatchDueWebhooks } from '../../webhooks/dispatcher.js';

// Challenge webhooks, signed the Standard Webhooks way and checked with the standardwebhooks library
// (an independent verifier), delivered to a real local HTTP endpoint, retried with backoff.
describe.each(['sqlite', 'postgres'] as TestDialect[])('challenge webhooks on %s', (dialect) => {
  let h: Harness;
  let received: { headers: IncomingHttpHeaders; body: string }[];
  let answer: number;
  let server: ReturnType<typeof createServer>;
  let url: string;
  beforeEach(async () => {
    // The endpoint is a local peer on 127.0.0.1, which projects may reach only on a private-network install.
    h = await createHarness({ dialect, env: { VIGIL_SMS: 'console', VIGIL_ALLOW_PRIVATE_DESTINATIONS: 'true' } });
    h.clock.now = Date.now(); // receivers check the signed timestamp against their own clock
    received = [];
    answer = 204;
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(answer).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/vigil`;
  });
  afterEach(async () => {
    server.close();
    await h.close();
  });

  const api = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, payload?: unknown, key = h.project.secretKey) => {
    const res = await h.inject({ method, url: path, headers: bearer(key), ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };
  const dispatch = () => dispatchDueWebhooks({ store: h.store, now: () => h.clock.now, config: h.config });
  const challenge = async () => {
    await api('POST', '/v3/policies', {
      name: 'Verify',
      events: ['login'],
      priority: 1,
      conditions: { field: 'action', operator: 'eq', value: 'login' },
      action: { type: 'challenge', challenge: { type: 'verification', channels: ['email'] } },
    });
    return (await api('POST', '/v3/evaluations', { action: 'login', user: 'alice', email: 'alice@example.com' })).body;
  };

  it('announces challenge.initiated and challenge.completed, signed so a Standard Webhooks library accepts them', async () => {
    const set = await api('PUT', '/v3/webhook', { url });
    expect(set).toMatchObject({ status: 200, body: { url, secret: expect.stringMatching(/^whsec_/) } });
    expect((await api('GET', '/v3/webhook')).body).toEqual({ url, createdAt: expect.any(String) });
    const evaluation = await challenge();
    expect(await dispatch()).toBe(1);
    const verifier = new Webhook(set.body.secret);
    const initiated = verifier.verify(received[0]!.body, received[0]!.headers as Record<string, string>) as { type: string; data: Record<string, unknown> };
    expect(initiated).toMatchObject({
      type: 'challenge.initiated',
      data: { id: evaluation.challenge.id, evaluation: evaluation.id, status: 'created', method: 'verification', channels: ['email'] },
    });
    expect(() => new Webhook(`whsec_${Buffer.from('another secret!!').toString('base64')}`).verify(received[0]!.body, received[0]!.headers as Record<string, string>)).toThrow();

    // The server flow completes it.
    await api('POST', `/v3/challenges/${evaluation.challenge.id}/send`);
    // As if the code was verified (the code itself went out by mail, which this test does not read).
    await h.store.db.updateTable('challenges').set({ status: 'verified' }).where('id', '=', evaluation.challenge.id).execute();
    expect((await api('POST', `/v3/challenges/${evaluation.challenge.id}/complete`)).status).toBe(200);
    expect(await dispatch()).toBe(1);
    expect(verifier.verify(received[1]!.body, received[1]!.headers as Record<string, string>)).toMatchObject({ type: 'challenge.completed', data: { status: 'completed' } });
    expect(received[1]!.headers['webhook-id']).not.toBe(received[0]!.headers['webhook-id']);
  });

  it('retries a refused delivery with backoff, keeping the same id, and gives up after the last retry', async () => {
    await api('PUT', '/v3/webhook', { url });
    answer = 500;
    await challenge();
    expect(await dispatch()).toBe(0);
    expect(await dispatch()).toBe(0); // not due yet: nothing sent again
    expect(received).toHaveLength(1);
    expect((await api('GET', '/v3/webhook/deliveries')).body.data).toEqual([
      expect.objectContaining({ type: 'challenge.initiated', attempts: 1, status: 'pending', last_error: 'HTTP 5xx' }),
    ]); // the class only: the status is the log's (docs/security.md)
    h.clock.now += RETRY_DELAYS_MS[0]!;
    answer = 200;
    expect(await dispatch()).toBe(1);
    expect(received).toHaveLength(2);
    expect(received[1]!.headers['webhook-id']).toBe(received[0]!.headers['webhook-id']);
    expect((await api('GET', '/v3/webhook/deliveries')).body.data[0]).toMatchObject({ attempts: 2, status: 'delivered' });

    answer = 503;
    await challenge();
    for (const delay of [0, ...RETRY_DELAYS_MS]) {
      h.clock.now += delay;
      await dispatch();
    }
    const given = (await api('GET', '/v3/webhook/deliveries')).body.data[0]; // newest first
    expect(given).toMatchObject({ attempts: RETRY_DELAYS_MS.length + 1, status: 'failed', next_attempt_at: null });
  });

  it('sends nothing without an endpoint, refuses a URL that is not http(s), and keeps projects apart', async () => {
    await challenge();
    expect(await dispatch()).toBe(0);
    expect(await api('PUT', '/v3/webhook', { url: 'ftp://example.com/x' })).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_ERROR' } } });
    expect(await api('GET', '/v3/webhook')).toMatchObject({ status: 404 });
    await api('PUT', '/v3/webhook', { url });
    expect(await api('GET', '/v3/webhook', undefined, h.other.secretKey)).toMatchObject({ status: 404 });
    expect((await api('DELETE', '/v3/webhook')).status).toBe(204);
    expect((await api('DELETE', '/v3/webhook')).status).toBe(404);
  });
});
