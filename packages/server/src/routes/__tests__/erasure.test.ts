import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, type TestDialect, bearer, browserEvaluate, createHarness, openTestStore } from '../../test-support/harness.js';

// GDPR erasure (SPEC §11), missing until now: DELETE /v3/users/{id} erases everything Vigil holds about a
// user in one transaction and says what went. Seeded: a user with evaluations from two devices (one
// shared with another user), two fingerprints (one shared), a challenge with its code, a webhook about it,
// a device conflict and list entries; then every table is searched for anything of theirs.
// Every table of the schema (one for both dialects), read from a fresh SQLite store: PostgreSQL's
// introspection lists every schema's tables, and another test run dropping its schema meanwhile fails it.
let tables: Promise<string[]> | undefined;
const tableNames = () =>
  (tables ??= openTestStore('sqlite').then(async (store) => {
    await store.migrate();
    const names = (await store.db.introspection.getTables()).map((t) => t.name).filter((t) => !t.startsWith('kysely_'));
    await store.close();
    return names;
  }));

describe.each(['sqlite', 'postgres'] as TestDialect[])('erasing a user on %s', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({ dialect });
  });
  afterEach(() => h.close());

  const api = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, key = h.project.secretKey) => {
    const res = await h.inject({ method, url, headers: bearer(key), ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };
  const ok = async (method: 'POST' | 'PUT', url: string, payload: unknown) => {
    const res = await api(method, url, payload);
    expect(res.status, `${method} ${url}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body;
  };

  // Distinctive values, so a search of every table finds only what is really theirs.
  const ALICE = { user: 'alice-7f3a', email: 'Alice.7f3a@Example.com', phone: '+4791234567' };
  const BOB = { user: 'bob-2c9d', email: 'bob.2c9d@example.com', phone: '+4798765432' };
  const OWN_FP = 'fpaliceonly7f3a00000000000000000';
  const SHARED_FP = 'fpsharedbyboth000000000000000000';

  async function seed() {
    await ok('PUT', '/v3/webhook', { url: 'https://hooks.example/vigil' });
    await ok('POST', '/v3/policies', {
      name: 'Verify signups',
      events: ['signup'],
      priority: 1,
      conditions: { field: 'action', operator: 'eq', value: 'signup' },
      action: { type: 'challenge', challenge: { type: 'verification', channels: ['email'] } },
    });
    // Devices: the browser keeps a cookie; the same cookie for Bob makes the device shared.
    const shared = await browserEvaluate(h, { action: 'login', user: ALICE.user });
    const own = await browserEvaluate(h, { action: 'login', user: ALICE.user });
    await browserEvaluate(h, { action: 'login', user: BOB.user }, { cookie: `vigil_did=${shared.deviceCookie}` });
    // Fingerprints, IP, contact and a challenge, from the backend.
    const signup = await ok('POST', '/v3/evaluations', { action: 'signup', user: ALICE.user, email: ALICE.email, phone: ALICE.phone, ip: '203.0.113.7', fingerprint: OWN_FP });
    expect(signup.verdict).toBe('challenge');
    await ok('POST', '/v3/evaluations', { action: 'login', user: ALICE.user, fingerprint: SHARED_FP });
    await ok('POST', '/v3/evaluations', { action: 'login', user: BOB.user, email: BOB.email, phone: BOB.phone, fingerprint: SHARED_FP });

    const aliceId = (await h.store.users.find(h.project.id, ALICE.user))!.id;
    const devices = await h.store.db.selectFrom('devices').select(['id', 'cookie_id']).execute();
    const ownDevice = devices.find((d) => d.cookie_id === own.deviceCookie)!;
    const sharedDevice = devices.find((d) => d.cookie_id === shared.deviceCookie)!;
    const fingerprints = await h.store.db.selectFrom('fingerprints').select(['id', 'hash']).execute();
    const ownFingerprint = fingerprints.find((f) => f.hash === OWN_FP)!.id;
    const sharedFingerprint = fingerprints.find((f) => f.hash === SHARED_FP)!.id;
    const challengeId = signup.challenge.id as string;
    // A code that was sent, and the people data of two devices too far apart (as a decision records them).
    await h.store.db
      .insertInto('challenge_codes')
      .values({
        challenge_id: challengeId,
        channel: 'email',
        destination: ALICE.email.toLowerCase(),
        code_hash: 'x'.repeat(64),
        last_sent_at: h.clock.now,
        expires_at: h.clock.now + 600_000,
      })
      .execute();
    const [a, b] = [ownDevice.id, sharedDevice.id].sort() as [string, string];
    await h.store.db.insertInto('device_conflicts').values({ project_id: h.project.id, user_id: aliceId, device_a: a, device_b: b, first_seen_at: h.clock.now }).execute();
    // A nonce the browser on her own device fetched and has not used yet.
    await api('POST', '/v3/client/nonce', { client_id: h.project.clientId });
    await h.inject({ method: 'POST', url: '/v3/client/nonce', payload: { client_id: h.project.clientId }, headers: { cookie: `vigil_did=${own.deviceCookie}` } });

    const lists: [name: string, type: string, values: string[]][] = [
      ['blocked_users', 'user', [ALICE.user, BOB.user]],
      ['blocked_emails', 'email', [ALICE.email, BOB.email]],
      ['blocked_phones', 'phone', ['+47 912 34 567', BOB.phone]],
      ['blocked_devices', 'device', [ownDevice.id, sharedDevice.id]],
      ['blocked_fingerprints', 'fingerprint', [ownFingerprint, sharedFingerprint]],
      ['blocked_domains', 'email_domain', ['example.com']],
      ['blocked_ips', 'ip', ['203.0.113.7']],
    ];
    for (const [name, type, values] of lists) {
      const list = await ok('POST', '/v3/lists', { name, type });
      await ok('POST', `/v3/lists/${list.id}/add`, { values });
    }
    return { aliceId, ownDevice, sharedDevice, ownFingerprint, sharedFingerprint, challengeId };
  }

  /** Every row of every table, as text: what an erasure must leave nothing of theirs in. */
  async function everyRow(): Promise<Map<string, string[]>> {
    const tables = await tableNames();
    expect(tables).toEqual(
      expect.arrayContaining([
        'users',
        'evaluations',
        'challenges',
        'challenge_codes',
        'user_devices',
        'user_fingerprints',
        'user_ips',
        'device_conflicts',
        'devices',
        'fingerprints',
        'list_entries',
        'webhook_deliveries',
        'nonces',
      ]),
    );
    const rows = new Map<string, string[]>();
    for (const table of tables)
      rows.set(
        table,
        (
          await h.store.db
            .selectFrom(table as 'users')
            .selectAll()
            .execute()
        ).map((r) => JSON.stringify(r).toLowerCase()),
      );
    return rows;
  }
  const holding = (rows: Map<string, string[]>, needle: string) => [...rows].filter(([, texts]) => texts.some((t) => t.includes(needle.toLowerCase()))).map(([table]) => table);

  it('erases everything of the user in one call, and keeps the other user, the shared device and fingerprint', async () => {
    const s = await seed();
    const before = await everyRow();
    // The seed did put her in every table that can hold her (else the test would prove nothing).
    expect(holding(before, s.aliceId).sort()).toEqual(['challenges', 'device_conflicts', 'evaluations', 'user_devices', 'user_fingerprints', 'user_ips', 'users']);
    expect(holding(before, s.challengeId).sort()).toEqual(['challenge_codes', 'challenges', 'evaluations', 'webhook_deliveries']);
    expect(holding(before, s.ownDevice.cookie_id).sort()).toEqual(['devices', 'nonces']);
    const bobBefore = {
      evaluations: before.get('evaluations')!.filter((r) => r.includes(BOB.user)).length,
      sightings: ['user_devices', 'user_fingerprints', 'user_ips'].map((t) => before.get(t)!.length),
    };

    const erased = await api('DELETE', `/v3/users/${ALICE.user}`);
    expect(erased).toEqual({
      status: 200,
      body: {
        object: 'user_erasure',
        id: ALICE.user,
        // 2 browser logins, 1 signup, 1 backend login; sightings: 2 devices, 2 fingerprints, 2 IPs (loopback, 203.0.113.7);
        // webhooks: the signup's challenge.initiated, and user.account_sharing_signal (her two browsers at once).
        erased: { evaluations: 4, challenges: 1, devices: 1, fingerprints: 1, sightings: 6, device_conflicts: 1, list_entries: 5, webhook_deliveries: 2 },
      },
    });

    const after = await everyRow();
    for (const needle of [s.aliceId, ALICE.user, ALICE.email, ALICE.phone, '+47 912 34 567', s.ownDevice.id, s.ownDevice.cookie_id, s.ownFingerprint, OWN_FP, s.challengeId]) {
      expect(holding(after, needle), needle).toEqual([]);
    }
    // The other user, and what she shared with him, stay; only her links to them went.
    expect((await api('GET', `/v3/users/${BOB.user}`)).body).toMatchObject({ id: BOB.user, email: BOB.email });
    expect(after.get('evaluations')!.filter((r) => r.includes(BOB.user)).length).toBe(bobBefore.evaluations);
    expect(await h.store.db.selectFrom('devices').select('id').where('id', '=', s.sharedDevice.id).execute()).toHaveLength(1);
    expect(await h.store.db.selectFrom('fingerprints').select('id').where('id', '=', s.sharedFingerprint).execute()).toHaveLength(1);
    expect((await api('GET', `/v3/user/${BOB.user}/devices`)).body.data.map((d: { id: string }) => d.id)).toEqual([s.sharedDevice.id]);
    expect(['user_devices', 'user_fingerprints', 'user_ips'].map((t) => after.get(t)!.length)).toEqual([1, 1, 1]);
    expect(bobBefore.sightings).toEqual([3, 3, 3]);
    // List entries naming her went; those naming him, the shared device and fingerprint, a domain or an IP stay.
    const entries = (await h.store.db.selectFrom('list_entries').select('value').execute()).map((e) => e.value).sort();
    expect(entries).toEqual([BOB.user, BOB.email, BOB.phone, s.sharedDevice.id, s.sharedFingerprint, 'example.com', '203.0.113.7'].sort());
    // His history still serves decisions.
    expect((await api('POST', '/v3/evaluations', { action: 'login', user: BOB.user, fingerprint: SHARED_FP })).status).toBe(201);

    // Gone: the user is unknown now, and a second erasure says so.
    expect(await api('GET', `/v3/users/${ALICE.user}`)).toMatchObject({ status: 404, body: { error: { code: 'USER_NOT_FOUND' } } });
    expect(await api('DELETE', `/v3/users/${ALICE.user}`)).toMatchObject({ status: 404, body: { error: { code: 'USER_NOT_FOUND' } } });
  });

  it("keeps a list entry for an email another user also has: erasing one account must not lift the other's block", async () => {
    await ok('POST', '/v3/evaluations', { action: 'login', user: 'first', email: 'family@example.com' });
    await ok('POST', '/v3/evaluations', { action: 'login', user: 'second', email: 'Family@Example.com' });
    const list = await ok('POST', '/v3/lists', { name: 'blocked_emails', type: 'email' });
    await ok('POST', `/v3/lists/${list.id}/add`, { value: 'family@example.com' });
    expect((await api('DELETE', '/v3/users/first')).body.erased.list_entries).toBe(0);
    expect((await api('GET', `/v3/lists/${list.id}`)).body.data.map((e: { value: string }) => e.value)).toEqual(['family@example.com']);
  });

  it('answers 404 USER_NOT_FOUND for a user never evaluated, and for another project', async () => {
    expect(await api('DELETE', '/v3/users/nobody')).toMatchObject({ status: 404, body: { error: { code: 'USER_NOT_FOUND' } } });
    await ok('POST', '/v3/evaluations', { action: 'login', user: 'mine' });
    expect(await api('DELETE', '/v3/users/mine', undefined, h.other.secretKey)).toMatchObject({ status: 404, body: { error: { code: 'USER_NOT_FOUND' } } });
    expect((await api('GET', '/v3/users/mine')).status).toBe(200);
  });
});
