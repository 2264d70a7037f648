import type { Store } from '@vigil/store';
import { afterEach, describe, expect, it } from 'vitest';
import { seal, unseal } from '../settings/seal.js';
import { type TestDialect, openTestStore } from '../test-support/harness.js';
import { LEGACY_SEAL_SECRET, resealProjectMail } from './reseal-project-mail.js';

// Project mail settings used to be sealed with a key kept in the same database (instance_secrets
// 'settings_seal'), so a dump of the database opened them. At start they are re-sealed with the
// installation secret, which lives outside the database.
describe.each(['sqlite', 'postgres'] as TestDialect[])('re-sealing project mail settings on %s', (dialect) => {
  let store: Store;
  afterEach(() => store?.close());
  const now = () => Date.UTC(2026, 11, 1);
  const SECRET = 'the new installation secret, 32 characters or more';

  it('re-seals values sealed with the in-database key, and leaves those it cannot open or need not', async () => {
    store = await openTestStore(dialect);
    await store.migrate();
    const make = async (name: string) => (await store.projects.create({ name, allowedOrigins: [], now: now() })).project.id;
    const [old, current, foreign, none] = [await make('Old'), await make('Current'), await make('Foreign'), await make('None')];
    const legacy = await store.instanceSecrets.get(LEGACY_SEAL_SECRET, now());
    const plaintext = JSON.stringify({ url: 'smtps://codes:s3cret@mail.example.com:2465', from: 'a@example.com' });
    const sealedOld = seal(legacy, plaintext);
    const sealedCurrent = seal(SECRET, plaintext);
    const sealedForeign = seal('some other installation secret entirely', plaintext);
    await store.projects.setMailSettings(old, sealedOld, now());
    await store.projects.setMailSettings(current, sealedCurrent, now());
    await store.projects.setMailSettings(foreign, sealedForeign, now());

    expect(await resealProjectMail({ store, now, sealSecret: SECRET })).toEqual({ resealed: 1, unreadable: 1 });
    const resealed = (await store.projects.mailSettings(old))!;
    expect(resealed).not.toBe(sealedOld);
    expect(unseal(legacy, resealed)).toBeNull(); // the database's key no longer opens it
    expect(unseal(SECRET, resealed)).toBe(plaintext);
    expect(await store.projects.mailSettings(current)).toBe(sealedCurrent);
    expect(await store.projects.mailSettings(foreign)).toBe(sealedForeign);
    expect(await store.projects.mailSettings(none)).toBeNull();
    // Run again (every start): nothing left to do.
    expect(await resealProjectMail({ store, now, sealSecret: SECRET })).toEqual({ resealed: 0, unreadable: 1 });
  });
});
