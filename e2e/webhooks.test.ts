import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WEBHOOK_EVENTS } from '@vigil/core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningVigil, startVigil } from './support/vigil-process.js';

// Every webhook event, end to end: a real Vigil process sends them (its own dispatcher, every second) to a
// handler written the way a Rupt handler is: verify the signature, then read `event`, `account` and
// `challenge.status`. The handler sees each of the twelve events, from the product's own flows.
let vigil: RunningVigil;
let handler: Server;
let dir: string;
let secretKey: string;
let clientId: string;
let secret: string;
const handled: { event: string; account: string | null; status: string | null }[] = [];

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${vigil.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${secretKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
};

/** A browser: its device cookie from the nonce, then an evaluation with both. */
const browser = () => {
  let cookie = '';
  return async (body: Record<string, unknown>) => {
    const nonce = await fetch(`${vigil.url}/v3/client/nonce`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify({ client_id: clientId }),
    });
    cookie ||= (nonce.headers.get('set-cookie') ?? '').split(';')[0]!;
    const res = await fetch(`${vigil.url}/v3/client/evaluate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ client_id: clientId, nonce: (await nonce.json()).nonce, ...body }),
    });
    return (await res.json()) as { evaluation_id: string; redirect?: string };
  };
};

const form = (link: string, action: string, fields: Record<string, string>) => {
  const url = new URL(link);
  return fetch(`${vigil.url}${url.pathname}/${action}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ t: url.searchParams.get('t')!, ...fields }).toString(),
  });
};
const lastCode = () => /^(\d{6}) is your/.exec(JSON.parse(readFileSync(join(dir, 'sms.jsonl'), 'utf8').trim().split('\n').at(-1)!).text)![1]!;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-webhooks-'));
  handler = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      try {
        // The Rupt-style handler: verify, then act on event, account and challenge.status.
        const body = new Webhook(secret).verify(raw, req.headers as Record<string, string>) as { event: string; account: string | null; challenge?: { status: string } };
        handled.push({ event: body.event, account: body.account, status: body.challenge?.status ?? null });
        res.writeHead(204).end();
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => handler.listen(0, '127.0.0.1', resolve));
  vigil = await startVigil({ VIGIL_DATA_DIR: dir, VIGIL_SMS: `file:${join(dir, 'sms.jsonl')}`, VIGIL_ALLOW_PRIVATE_DESTINATIONS: 'true' });
  secretKey = /secret key\s+(sk_\w+)/.exec(vigil.output())![1]!;
  clientId = /client id\s+(\S+)/.exec(vigil.output())![1]!;
  const endpoint = await api('POST', '/v3/webhooks', { url: `http://127.0.0.1:${(handler.address() as AddressInfo).port}/rupt-webhooks`, events: [...WEBHOOK_EVENTS] });
  expect(endpoint.status).toBe(201);
  secret = endpoint.body.secret;
  const policy = async (name: string, events: string[], conditions: object, action: object) =>
    expect((await api('POST', '/v3/policies', { name, events, priority: 1, enabled: true, conditions, action })).status).toBe(201);
  await policy('Deny', ['login'], { field: 'metadata.deny', operator: 'eq', value: true }, { type: 'deny' });
  await policy('Suspend', ['login'], { field: 'metadata.suspend', operator: 'eq', value: true }, { type: 'suspend' });
  await policy('Watch', ['login'], { field: 'metadata.watch', operator: 'eq', value: true }, { type: 'add_to_list', list: 'watched', value: 'user' });
  await policy(
    'Verify',
    ['login'],
    { field: 'metadata.verify', operator: 'eq', value: true },
    { type: 'challenge', challenge: { type: 'verification', channels: ['sms'], allow_skip: true } },
  );
  await policy('One device', ['access'], { field: 'device_count', operator: 'gt', value: 1 }, { type: 'challenge', challenge: { type: 'device_limit', device_limit: 1 } });
}, 60_000);
afterAll(async () => {
  await vigil?.stop();
  handler?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('webhooks, end to end, to a Rupt-style handler', () => {
  it('delivers every event the product gives, verified, with the account and the challenge status', async () => {
    await api('POST', '/v3/evaluations', { action: 'login', user: 'dora', metadata: { deny: true } });
    await api('POST', '/v3/evaluations', { action: 'login', user: 'sid', metadata: { suspend: true } });
    await api('POST', '/v3/users/sid/unsuspend');
    await api('POST', '/v3/evaluations', { action: 'login', user: 'wes', metadata: { watch: true } });

    // A verification: shown, a code sent and entered, completed.
    const passing = await api('POST', '/v3/evaluations', { action: 'login', user: 'pia', phone: '+4791234567', metadata: { verify: true } });
    await fetch(passing.body.redirect);
    await api('POST', `/v3/challenges/${passing.body.challenge.id}/send`);
    expect((await api('POST', `/v3/challenges/${passing.body.challenge.id}/verify`, { code: lastCode() })).status).toBe(200);
    expect((await api('POST', `/v3/challenges/${passing.body.challenge.id}/complete`)).status).toBe(200);
    // Another one failed by five wrong codes, and one skipped.
    const failing = await api('POST', '/v3/evaluations', { action: 'login', user: 'fay', phone: '+4791234568', metadata: { verify: true } });
    await api('POST', `/v3/challenges/${failing.body.challenge.id}/send`);
    const wrong = lastCode() === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) await api('POST', `/v3/challenges/${failing.body.challenge.id}/verify`, { code: wrong });
    const skipping = await api('POST', '/v3/evaluations', { action: 'login', user: 'sky', phone: '+4791234569', metadata: { verify: true } });
    expect([200, 303]).toContain((await form(skipping.body.redirect, 'skip', {})).status);

    // One account on two browsers at once: shared, then the second logs the first out (device limit).
    const laptop = browser();
    const phone = browser();
    await laptop({ action: 'access', user: 'ann' });
    const second = await phone({ action: 'access', user: 'ann' });
    await laptop({ action: 'access', user: 'ann' });
    expect(second.redirect).toMatch(/\/challenge\/ch_/);
    const devices = (await api('GET', '/v3/user/ann/devices')).body.data as { id: string }[];
    const phoneDevice = (await api('GET', `/v3/evaluations/${second.evaluation_id}`)).body.device;
    const other = devices.find((d) => d.id !== phoneDevice)!;
    expect((await form(second.redirect!, 'logout', { device: other.id })).status).toBe(200);

    for (let i = 0; i < 200 && new Set(handled.map((h) => h.event)).size < WEBHOOK_EVENTS.length; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(new Set(handled.map((h) => h.event))).toEqual(new Set(WEBHOOK_EVENTS));
    const one = (event: string, account: string) => handled.find((h) => h.event === event && h.account === account);
    expect(one('evaluation.denied', 'dora')).toBeDefined();
    expect(one('user.suspended', 'sid')).toBeDefined();
    expect(one('user.unsuspended', 'sid')).toBeDefined();
    expect(one('list.entry_added', 'wes')).toBeDefined();
    expect(one('challenge.viewed', 'pia')?.status).toBe('presented');
    expect(one('challenge.completed', 'pia')?.status).toBe('completed');
    expect(one('challenge.failed', 'fay')?.status).toBe('failed');
    expect(one('challenge.skipped', 'sky')?.status).toBe('skipped');
    expect(one('user.account_sharing_signal', 'ann')).toBeDefined();
    expect(one('device.logged_out', 'ann')).toBeDefined();
    expect(handled.filter((h) => h.event === 'challenge.initiated').length).toBeGreaterThanOrEqual(4);
  }, 60_000);
});
