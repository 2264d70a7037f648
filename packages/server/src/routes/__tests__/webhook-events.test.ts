import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_WEBHOOK_EVENTS, WEBHOOK_EVENTS } from '@vigil/core';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, type TestDialect, bearer, browserEvaluate, createHarness } from '../../test-support/harness.js';
import { dispatchDueWebhooks } from '../../webhooks/dispatcher.js';

// Every event Vigil sends, to endpoints subscribed to what they want, read by a handler written the
// Rupt way (`event`, `account`, `challenge.status`) after a Standard Webhooks library verified it.
interface Received {
  endpoint: string;
  body: { type: string; event: string; account: string | null; timestamp: string; data: Record<string, unknown>; challenge?: { id: string; status: string } };
}

describe.each(['sqlite', 'postgres'] as TestDialect[])('webhook events on %s', (dialect) => {
  let h: Harness;
  let server: ReturnType<typeof createServer>;
  let base: string;
  let received: Received[];
  const secrets = new Map<string, string>();

  beforeEach(async () => {
    h = await createHarness({ dialect, env: { VIGIL_SMS: 'console', VIGIL_ALLOW_PRIVATE_DESTINATIONS: 'true' } });
    h.clock.now = Date.now();
    received = [];
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        const endpoint = req.url!.slice(1);
        // The Rupt-style handler: verify, then read event, account and challenge.
        const body = new Webhook(secrets.get(endpoint)!).verify(raw, req.headers as Record<string, string>) as Received['body'];
        received.push({ endpoint, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    server.close();
    await h.close();
  });

  const api = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, payload?: unknown) => {
    const res = await h.inject({ method, url: path, headers: bearer(h.project.secretKey), ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };
  const endpoint = async (name: string, events?: string[]) => {
    h.clock.now += 1; // listed oldest first
    const made = await api('POST', '/v3/webhooks', { url: `${base}/${name}`, ...(events ? { events } : {}) });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    secrets.set(name, made.body.secret);
    return made.body;
  };
  const policy = async (name: string, conditions: object, action: object, events = ['login']) =>
    expect((await api('POST', '/v3/policies', { name, events, priority: 1, enabled: true, conditions, action })).status).toBe(201);
  const flush = async () => {
    while ((await dispatchDueWebhooks({ store: h.store, now: () => h.clock.now, config: h.config }, 50)) > 0);
  };
  const events = (name: string) => received.filter((r) => r.endpoint === name).map((r) => r.body.event);

  it('manages several endpoints, each subscribed to its events; evaluation.created only on request', async () => {
    const all = await endpoint('all');
    expect(all).toMatchObject({ id: expect.stringMatching(/^we_/), object: 'webhook_endpoint', events: [...DEFAULT_WEBHOOK_EVENTS], secret: expect.stringMatching(/^whsec_/) });
    await endpoint('firehose', ['evaluation.created']);
    expect((await api('GET', '/v3/webhooks')).body.data.map((e: { url: string }) => e.url)).toEqual([`${base}/all`, `${base}/firehose`]);
    expect((await api('GET', `/v3/webhooks/${all.id}`)).body).not.toHaveProperty('secret');
    await api('POST', '/v3/evaluations', { action: 'login', user: 'alice' });
    await flush();
    expect(events('firehose')).toEqual(['evaluation.created']);
    expect(events('all')).toEqual([]);
    // Subscriptions change, and bad ones are refused.
    expect((await api('PATCH', `/v3/webhooks/${all.id}`, { events: [...WEBHOOK_EVENTS] })).body.events).toContain('evaluation.created');
    expect((await api('PATCH', `/v3/webhooks/${all.id}`, { events: ['evaluation.maybe'] })).status).toBe(400);
    expect((await api('POST', '/v3/webhooks', { url: `${base}/x`, events: [] })).status).toBe(400);
    await api('POST', '/v3/evaluations', { action: 'login', user: 'alice' });
    await flush();
    expect(events('all')).toEqual(['evaluation.created']);
    expect((await api('DELETE', `/v3/webhooks/${all.id}`)).status).toBe(204);
    expect((await api('GET', `/v3/webhooks/${all.id}`)).status).toBe(404);
  });

  it('tells of denials, suspensions, list entries added by a policy and account sharing, with the account', async () => {
    await endpoint('ops');
    await policy('Deny Tor', { field: 'metadata.tor', operator: 'eq', value: true }, { type: 'deny' });
    await api('POST', '/v3/evaluations', { action: 'login', user: 'mallory', metadata: { tor: true } });
    await policy('Suspend', { field: 'metadata.abuse', operator: 'eq', value: true }, { type: 'suspend' });
    await api('POST', '/v3/evaluations', { action: 'login', user: 'trent', metadata: { abuse: true } });
    await policy('Watch', { field: 'metadata.watch', operator: 'eq', value: true }, { type: 'add_to_list', list: 'watched', value: 'user' });
    await api('POST', '/v3/evaluations', { action: 'login', user: 'walter', metadata: { watch: true } });
    await api('POST', '/v3/users/trent/unsuspend');
    await api('POST', '/v3/users/trent/unsuspend'); // no change: no event
    // Two browsers of one account alternating within the session window: live in two places at once.
    const laptop = await browserEvaluate(h, { action: 'access', user: 'sam', metadata: { plan: 'family' } });
    h.clock.now += 60_000;
    const phone = await browserEvaluate(h, { action: 'access', user: 'sam', metadata: { plan: 'family' } });
    h.clock.now += 60_000;
    await h.inject({
      method: 'POST',
      url: '/v3/client/evaluate',
      payload: { client_id: h.project.clientId, action: 'access', user: 'sam', metadata: { plan: 'family' } },
      headers: { cookie: `vigil_did=${laptop.deviceCookie}` },
    });
    expect(phone.deviceCookie).not.toBe(laptop.deviceCookie);
    await flush();
    const byEvent = new Map(received.map((r) => [r.body.event, r.body]));
    expect(byEvent.get('evaluation.denied')).toMatchObject({ type: 'evaluation.denied', account: 'mallory', data: { verdict: 'deny', policy: { name: 'Deny Tor' } } });
    expect(received.filter((r) => r.body.event === 'user.suspended').map((r) => r.body)).toEqual([
      expect.objectContaining({ account: 'trent', data: expect.objectContaining({ by: 'policy' }) }),
    ]);
    expect(received.filter((r) => r.body.event === 'user.unsuspended')).toHaveLength(1);
    expect(byEvent.get('list.entry_added')).toMatchObject({ account: 'walter', data: { list: 'watched', kind: 'user', value: 'walter', by: 'policy' } });
    expect(byEvent.get('user.account_sharing_signal')).toMatchObject({
      account: 'sam',
      data: { concurrent_sessions: true, concurrent_session_count: 1, metadata: { plan: 'family' } },
    });
    // Every body is the Standard Webhooks envelope with Rupt's names beside it.
    for (const { body } of received) {
      expect(body.event).toBe(body.type);
      expect(Date.parse(body.timestamp)).toBeGreaterThan(0);
    }
  });

  it('follows a challenge through viewed, failed and skipped, with the challenge as Rupt handlers read it; a delivery can be resent', async () => {
    await endpoint('challenges', ['challenge.initiated', 'challenge.viewed', 'challenge.failed', 'challenge.skipped', 'challenge.completed']);
    await policy('Verify', { field: 'action', operator: 'eq', value: 'login' }, { type: 'challenge', challenge: { type: 'verification', channels: ['sms'], allow_skip: true } });
    const evaluation = (await api('POST', '/v3/evaluations', { action: 'login', user: 'alice', phone: '+4791234567' })).body;
    const link = new URL(evaluation.redirect);
    expect((await h.inject({ method: 'GET', url: `${link.pathname}${link.search}` })).statusCode).toBe(200);
    expect((await h.inject({ method: 'GET', url: `${link.pathname}${link.search}` })).statusCode).toBe(200); // viewed once
    await api('POST', `/v3/challenges/${evaluation.challenge.id}/send`);
    for (let i = 0; i < 5; i++) await api('POST', `/v3/challenges/${evaluation.challenge.id}/verify`, { code: '000000' });
    const skippable = (await api('POST', '/v3/evaluations', { action: 'login', user: 'bob', phone: '+4791234568' })).body;
    const skipLink = new URL(skippable.redirect);
    const skip = await h.inject({
      method: 'POST',
      url: `${skipLink.pathname}/skip`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ t: skipLink.searchParams.get('t')! }).toString(),
    });
    expect(skip.statusCode).toBe(200);
    expect(skip.body).toContain('Skipped');
    await flush();
    const alice = received.filter((r) => r.body.account === 'alice').map((r) => r.body);
    // 000000 may be the right code one time in a million: then the run says so rather than passing.
    // Deliveries queued in one millisecond may arrive in any order (as Standard Webhooks allows): by event.
    expect(new Map(alice.map((b) => [b.event, b.challenge?.status]))).toEqual(
      new Map([
        ['challenge.initiated', 'created'],
        ['challenge.viewed', 'presented'],
        ['challenge.failed', 'failed'],
      ]),
    );
    expect(alice).toHaveLength(3);
    expect(alice.find((b) => b.event === 'challenge.failed')!.challenge).toMatchObject({ id: evaluation.challenge.id, method: 'verification', user: 'alice' });
    expect(
      received
        .filter((r) => r.body.account === 'bob')
        .map((r) => r.body.event)
        .sort(),
    ).toEqual(['challenge.initiated', 'challenge.skipped']);

    const deliveries = (await api('GET', '/v3/webhook/deliveries')).body.data as { id: string; type: string }[];
    const skipped = deliveries.find((d) => d.type === 'challenge.skipped');
    expect(skipped).toMatchObject({ status: 'delivered', endpoint: expect.stringMatching(/^we_/) });
    const resent = await api('POST', `/v3/webhook/deliveries/${skipped!.id}/resend`);
    expect(resent).toMatchObject({ status: 201, body: { type: 'challenge.skipped', status: 'pending', attempts: 0 } });
    await flush();
    expect(received.at(-1)!.body).toMatchObject({ event: 'challenge.skipped', account: 'bob' });
    expect((await api('POST', '/v3/webhook/deliveries/msg_nope/resend')).status).toBe(404);
  });
});
