import { connect } from 'node:net';
import { createClient } from '@redis/client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, startPostgres } from './support/postgres-server.js';
import { type RedisServer, startRedis } from './support/redis-server.js';

// The support that outage tests stand on: a Redis and a PostgreSQL of the test's own, which it can stop,
// kill and start again on the same port.

/** How a TCP connection to 127.0.0.1:port ends: 'connected', or the error code (ECONNREFUSED, …). */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

async function query<R extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

describe('a Redis of the test’s own', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.close();
  });

  it('stops, refuses connections, and starts again on the same port', async () => {
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(redis.port).not.toBe(6379);
    const errors: Error[] = [];
    const client = createClient({ url: redis.url, disableOfflineQueue: true, socket: { reconnectStrategy: 100, connectTimeout: 2_000 } });
    client.on('error', (error: Error) => errors.push(error));
    await client.connect();
    try {
      await client.set('outage', 'before');
      expect(await client.get('outage')).toBe('before');

      await redis.stop();
      expect(await tryConnect(redis.port)).toBe('ECONNREFUSED');
      await expect(client.get('outage')).rejects.toThrow();

      await redis.start();
      expect(await tryConnect(redis.port)).toBe('connected');
      // The client reconnects by itself; the data is gone (no persistence).
      await expect.poll(() => client.isReady, { timeout: 5_000 }).toBe(true);
      expect(await client.get('outage')).toBeNull();
      await client.set('outage', 'after');
      expect(await client.get('outage')).toBe('after');
      expect(errors.length).toBeGreaterThan(0);

      await redis.kill();
      expect(await tryConnect(redis.port)).toBe('ECONNREFUSED');
      await redis.start();
      await expect.poll(() => client.isReady, { timeout: 5_000 }).toBe(true);
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.destroy();
    }
  });
});

describe('a PostgreSQL of the test’s own', () => {
  let postgres: PostgresServer;
  beforeAll(async () => {
    postgres = await startPostgres();
  });
  afterAll(async () => {
    await postgres?.close();
  });

  it('keeps its data across a stop and a kill, and starts again on the same port', { timeout: 90_000 }, async () => {
    expect(postgres.url).toBe(`postgres://postgres@127.0.0.1:${postgres.port}/postgres`);
    expect(postgres.port).not.toBe(5432);
    await query(postgres.url, 'CREATE TABLE outage (id int PRIMARY KEY, note text NOT NULL)');
    await query(postgres.url, `INSERT INTO outage VALUES (1, 'before the stop')`);

    // A connection open during the outage: its next query fails.
    const open = new pg.Client({ connectionString: postgres.url });
    const openErrors: Error[] = [];
    open.on('error', (error) => openErrors.push(error));
    await open.connect();
    try {
      expect((await open.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      await postgres.stop();
      await expect(open.query('SELECT 1')).rejects.toThrow();
    } finally {
      await open.end().catch(() => {});
    }
    expect(await tryConnect(postgres.port)).toBe('ECONNREFUSED');
    await expect(query(postgres.url, 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/);

    await postgres.start();
    expect(await query(postgres.url, 'SELECT id, note FROM outage ORDER BY id')).toEqual([{ id: 1, note: 'before the stop' }]);

    // A crash: committed rows survive it (the WAL is replayed at the next start).
    await query(postgres.url, `INSERT INTO outage VALUES (2, 'before the kill')`);
    await postgres.kill();
    expect(await tryConnect(postgres.port)).toBe('ECONNREFUSED');
    await postgres.start();
    expect(await query(postgres.url, 'SELECT id, note FROM outage ORDER BY id')).toEqual([
      { id: 1, note: 'before the stop' },
      { id: 2, note: 'before the kill' },
    ]);
    expect(postgres.output()).toMatch(/database system was interrupted|not properly shut down/);
  });
});
