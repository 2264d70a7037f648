import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../index.js';
import { storeDialects } from '../test-support/dialects.js';

// The installation's signing keys, on both dialects: a key is kept in memory only once it is stored.
describe.each(Object.entries(storeDialects()))('instance secrets on %s', (_dialect, open) => {
  let store: Store;
  beforeEach(async () => {
    store = await open();
    await store.migrate();
  });
  afterEach(() => store.close());

  const stored = async (name: string) => (await store.db.selectFrom('instance_secrets').select('value').where('name', '=', name).executeTakeFirst())?.value;

  it('creates a key on first use, stores it, and gives the same one after', async () => {
    const key = await store.instanceSecrets.get('challenge_links', 0);
    expect(key).toMatch(/^[\w-]{43}$/);
    expect(await stored('challenge_links')).toBe(key);
    expect(await store.instanceSecrets.get('challenge_links', 1)).toBe(key);
  });

  it('does not keep a key created by an evaluation that rolled back: the key in use is the one stored', async () => {
    let signedWith = '';
    await expect(
      store.evaluating([], async (scope) => {
        signedWith = await scope.instanceSecrets.get('challenge_links', 0);
        throw new Error('the evaluation fails after signing its link');
      }),
    ).rejects.toThrow('the evaluation fails after signing its link');
    expect(signedWith).not.toBe('');
    expect(await stored('challenge_links')).toBeUndefined();
    // Kept from the rolled-back transaction, this would have been `signedWith`, stored nowhere.
    const key = await store.instanceSecrets.get('challenge_links', 1);
    expect(key).not.toBe(signedWith);
    expect(await stored('challenge_links')).toBe(key);
  });

  it('lets an evaluation read the key once stored, and store a new one it creates when it commits', async () => {
    const created = await store.evaluating([], async (scope) => scope.instanceSecrets.get('setup', 0));
    expect(await stored('setup')).toBe(created);
    const key = await store.instanceSecrets.get('setup', 1);
    expect(key).toBe(created);
    expect(await store.evaluating([], async (scope) => scope.instanceSecrets.get('setup', 2))).toBe(key);
  });
});
