import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqliteConnectionOf } from '../database.js';
import { openStore, type Store } from '../index.js';
import { hot, runDirectlyOn } from './compiled.js';

// A hot statement's parameters: placeholders filled by name at each run, constants kept as built.
describe('hot statements', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore({ dialect: 'sqlite', file: ':memory:' });
    await store.migrate();
    await store.projects.create({ name: 'Shop', allowedOrigins: [], now: 1 });
    await store.projects.create({ name: 'Blog', allowedOrigins: [], now: 2 });
  });
  afterEach(() => store.close());

  // A constant ('Blog') between two placeholders, and one placeholder used twice.
  const named = hot<{ name: string; after: number }, { name: string }>((db, p) =>
    db
      .selectFrom('projects')
      .select('name')
      .where((eb) => eb.or([eb('name', '=', p.name), eb('name', '=', 'Blog')]))
      .where('created_at', '>=', p.after)
      .where('created_at', '>=', p.after)
      .orderBy('name'),
  );

  it('fills each placeholder by name at every run and keeps the constants it was built with', async () => {
    expect(await named.rows(store.db, { name: 'Shop', after: 0 })).toEqual([{ name: 'Blog' }, { name: 'Shop' }]);
    expect(await named.rows(store.db, { name: 'Shop', after: 2 })).toEqual([{ name: 'Blog' }]);
    expect(await named.rows(store.db, { name: 'Nothing', after: 0 })).toEqual([{ name: 'Blog' }]);
  });

  it('refuses a run that lacks a value, naming the parameter', async () => {
    await expect(named.rows(store.db, { name: 'Shop' } as { name: string; after: number })).rejects.toThrow('no value for parameter after');
  });

  it('reads a dotted name from the object given under its first part', async () => {
    const byRow = hot<Record<string, unknown>, { name: string }>((db, p) =>
      db
        .selectFrom('projects')
        .select('name')
        .where('name', '=', p['row.name'] as string),
    );
    expect(await byRow.rows(store.db, { row: { name: 'Shop', other: 1 } })).toEqual([{ name: 'Shop' }]);
    await expect(byRow.rows(store.db, { row: {} })).rejects.toThrow('no value for parameter row.name');
    await expect(byRow.rows(store.db, {})).rejects.toThrow('no value for parameter row.name');
  });

  it('refuses a parameter name that is not an identifier before running anything', async () => {
    const odd = hot<Record<string, string>, { name: string }>((db, p) => db.selectFrom('projects').select('name').where('name', '=', p['name); drop table projects; --']!));
    await expect(odd.rows(store.db, {})).rejects.toThrow('is not an identifier');
    expect(await store.db.selectFrom('projects').select('name').execute()).toHaveLength(2);
  });

  it('gives the same rows on a transaction holding the connection (arrays made objects) as through Kysely: every column by name, nulls, a later column of one name winning', async () => {
    const rows = hot<{ after: number }, Record<string, unknown>>((db, p) =>
      db
        .selectFrom('projects')
        .select(['name', 'client_id', 'retention_days', sql<number>`created_at * 10`.as('name_again'), sql<string>`'later'`.as('client_id')])
        .where('created_at', '>=', p.after)
        .orderBy('name'),
    );
    const throughKysely = await rows.rows(store.db, { after: 0 });
    expect(throughKysely).toHaveLength(2);
    const connection = sqliteConnectionOf.get(store.db)!.connection;
    const direct = await store.db.connection().execute(async (trx) => {
      runDirectlyOn(trx, connection);
      return { all: await rows.rows(trx, { after: 0 }), first: await rows.first(trx, { after: 2 }), none: await rows.rows(trx, { after: 3 }) };
    });
    expect(direct.all).toEqual(throughKysely);
    expect(direct.all[0]).toEqual({ name: 'Blog', client_id: 'later', retention_days: null, name_again: 20 });
    expect(Object.keys(direct.all[0]!)).toEqual(Object.keys(throughKysely[0]!));
    expect(direct.first).toEqual({ name: 'Blog', client_id: 'later', retention_days: null, name_again: 20 });
    expect(direct.none).toEqual([]);
  });
});
