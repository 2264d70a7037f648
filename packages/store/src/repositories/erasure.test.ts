import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../index.js';
import { storeDialects } from '../test-support/dialects.js';

// The erasure's one transaction, on both dialects (the HTTP tests in the server cover what it erases):
// a GDPR erasure that fails half-way must not leave a user half erased, nor report success.
const dialects = storeDialects(2);
const t0 = Date.UTC(2026, 10, 25, 9, 0, 0);

// The server passes its list normalisation; these tests need none.
const asGiven = (_kind: 'email' | 'phone', value: string) => [value];

describe.each(Object.entries(dialects))('user erasure on %s', (dialect, open) => {
  let store: Store;
  beforeEach(async () => {
    store = await open();
    await store.migrate();
  });
  afterEach(() => store.close());

  async function seed() {
    const { project } = await store.projects.create({ name: 'P', allowedOrigins: [], now: t0 });
    const db = store.db;
    await db
      .insertInto('users')
      .values({ id: 'us_a', project_id: project.id, external_id: 'alice', email: 'alice@example.com', phone: null, first_seen_at: t0, last_seen_at: t0 })
      .execute();
    await db
      .insertInto('devices')
      .values({ id: 'dv_a', project_id: project.id, cookie_id: 'cookie-a', user_agent: null, device_class: null, first_seen_at: t0, last_seen_at: t0 })
      .execute();
    await db
      .insertInto('user_devices')
      .values({
        project_id: project.id,
        user_id: 'us_a',
        device_id: 'dv_a',
        first_seen_at: t0,
        last_seen_at: t0,
        last_latitude: null,
        last_longitude: null,
        last_accuracy_km: null,
        last_geo_precision: null,
        logged_out_at: null,
        logout_url: null,
      })
      .execute();
    await db.insertInto('user_ips').values({ project_id: project.id, user_id: 'us_a', ip: '203.0.113.7', first_seen_at: t0, last_seen_at: t0 }).execute();
    const list = await store.lists.create({ projectId: project.id, name: 'blocked_users', type: 'user', now: t0 });
    await store.lists.add({ listId: list!.id, values: ['alice'], expiresAt: null, now: t0 });
    return project.id;
  }
  const counts = async () => {
    const tables = ['users', 'devices', 'user_devices', 'user_ips', 'list_entries'] as const;
    return Promise.all(
      tables.map(async (t) =>
        Number(
          (
            await store.db
              .selectFrom(t)
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        ),
      ),
    );
  };

  it('is all or nothing: a failure at its last step (the user row) leaves every row in place', async () => {
    const projectId = await seed();
    // A trigger refuses the user row's deletion, the erasure's last statement.
    if (dialect === 'sqlite') await sql`create trigger refuse_user_delete before delete on users begin select raise(abort, 'refused'); end`.execute(store.db);
    else {
      await sql`create function refuse_user_delete() returns trigger language plpgsql as $$ begin raise exception 'refused'; end $$`.execute(store.db);
      await sql`create trigger refuse_user_delete before delete on users for each row execute function refuse_user_delete()`.execute(store.db);
    }
    const before = await counts();
    expect(before).toEqual([1, 1, 1, 1, 1]);
    await expect(store.erasure.eraseUser(projectId, 'alice', asGiven)).rejects.toThrow(/refused/);
    expect(await counts()).toEqual(before);
  });

  it('erases the same seed when nothing refuses, and answers null for a user it does not know', async () => {
    const projectId = await seed();
    expect(await store.erasure.eraseUser(projectId, 'alice', asGiven)).toEqual({
      userId: 'us_a',
      evaluations: 0,
      challenges: 0,
      devices: 1,
      fingerprints: 0,
      sightings: 2,
      deviceConflicts: 0,
      listEntries: 1,
      webhookDeliveries: 0,
    });
    expect(await counts()).toEqual([0, 0, 0, 0, 0]);
    expect(await store.erasure.eraseUser(projectId, 'alice', asGiven)).toBeNull();
  });
});
