import { randomBytes } from 'node:crypto';
import type { NonceStatus } from '@vigil/core';
import { type Kysely, PostgresAdapter, sql } from 'kysely';
import { hot } from '../hot/compiled.js';
import { answerAll, askedTogether, groupedBy } from '../hot/together.js';
import type { Database } from '../schema.js';

type Redeeming = { projectId: string; nonce: string; deviceCookieId: string | null; now: number };

/** A nonce as a redemption found it, and whether this redemption spent it. */
type Found = { nonce: string; project_id: string; used_at: number | null; expires_at: number; device_cookie_id: string | null; spent: boolean };

/** The outcome of a redemption, from the nonce as it found it (none: not issued, or not in its project). */
function statusOf(row: Found | undefined, input: Redeeming): NonceStatus {
  if (row === undefined || row.project_id !== input.projectId) return 'unknown';
  if (row.used_at !== null || !row.spent) return 'consumed';
  if (row.expires_at <= input.now) return 'expired';
  if (row.device_cookie_id !== input.deviceCookieId) return 'mismatch';
  return 'valid';
}

/**
 * Several nonces redeemed by one statement on PostgreSQL: each found by its key (`nonce = any(…)`, so
 * that the plan kept for any number of them walks the index: joined to the rows of values, it scanned
 * the table), and spent in its project if nobody had spent it (`used_at is null`, checked again on a
 * row a concurrent redemption is spending, so "once" holds). A browser's evaluation redeems its nonce
 * before it reads its history: redeemed one at a time, the evaluations of a shared transaction went on
 * one at a time, each reading and writing alone; redeemed together, they read together and write side
 * by side (hot/subject-locks.ts).
 */
const redeemAll = hot<{ nonces: string[]; projectIds: string[]; nows: number[] }, Found>((db, p) => {
  const statement = sql<Found>`with found as (select nonce, project_id, used_at, expires_at, device_cookie_id from nonces where nonce = any(${p.nonces}::text[])),
    spent as (update nonces set used_at = v.now from unnest(${p.nonces}::text[], ${p.projectIds}::text[], ${p.nows}::bigint[]) as v(nonce, project_id, now)
      where nonces.nonce = any(${p.nonces}::text[]) and nonces.nonce = v.nonce and nonces.project_id = v.project_id and nonces.used_at is null returning nonces.nonce)
    select found.*, exists (select 1 from spent where spent.nonce = found.nonce) as spent from found`;
  return { compile: () => statement.compile(db) };
});

/**
 * Redemptions asked in one turn (those entering a shared transaction together start at once), by one
 * statement. A nonce presented twice among them (a replay racing its original) goes in once: PostgreSQL's
 * `update … from` spends a row once for two rows of values naming it, and both would read it as spent
 * by them. The others redeem after it, one by one, and find it spent.
 */
function redeemingTogether(db: Kysely<Database>): (input: Redeeming) => Promise<NonceStatus | undefined> {
  const redeem = async (some: Redeeming[]) => redeemAll.rows(db, { nonces: some.map((r) => r.nonce), projectIds: some.map((r) => r.projectId), nows: some.map((r) => r.now) });
  return askedTogether<Redeeming, NonceStatus>(queueMicrotask, (all) => {
    // The nonce is the table's key, whatever the project: the first asking for each goes in the statement.
    const byNonce = [...groupedBy(all, (a) => a.question.nonce).values()];
    const once = byNonce.map(([first]) => first!);
    answerAll(all, async () => {
      const found = new Map((await redeem(once.map((a) => a.question))).map((row) => [row.nonce, row]));
      for (const { question, resolve } of once) resolve(statusOf(found.get(question.nonce), question));
      for (const again of byNonce.flatMap(([, ...rest]) => rest)) {
        const [row] = await redeem([again.question]);
        again.resolve(statusOf(row, again.question));
      }
    });
  });
}

export function nonceRepository(db: Kysely<Database>) {
  const together = db.getExecutor().adapter instanceof PostgresAdapter ? redeemingTogether(db) : null;
  return {
    async issue(input: { projectId: string; deviceCookieId: string; now: number; ttlMs: number }): Promise<string> {
      const nonce = randomBytes(24).toString('base64url');
      await db
        .insertInto('nonces')
        .values({
          nonce,
          project_id: input.projectId,
          device_cookie_id: input.deviceCookieId,
          created_at: input.now,
          expires_at: input.now + input.ttlMs,
          used_at: null,
        })
        .execute();
      return nonce;
    },

    /**
     * Spends a nonce, once. Whatever the outcome the nonce is used up afterwards: one presented from
     * another device has leaked, and must not be good for the device it was issued to either.
     */
    async redeem(input: Redeeming): Promise<NonceStatus> {
      if (together) return (await together(input)) ?? 'unknown';
      const row = await db.selectFrom('nonces').selectAll().where('nonce', '=', input.nonce).where('project_id', '=', input.projectId).executeTakeFirst();
      if (!row) return 'unknown';
      if (row.used_at !== null) return 'consumed';
      // The conditional update is what makes "once" hold when two requests race with the same nonce.
      const spent = await db.updateTable('nonces').set({ used_at: input.now }).where('nonce', '=', input.nonce).where('used_at', 'is', null).executeTakeFirst();
      if (Number(spent.numUpdatedRows) === 0) return 'consumed';
      if (row.expires_at <= input.now) return 'expired';
      if (row.device_cookie_id !== input.deviceCookieId) return 'mismatch';
      return 'valid';
    },

    /** Forgets nonces that expired before `before`; they can only ever answer `unknown` after that. */
    async prune(before: number): Promise<number> {
      const result = await db.deleteFrom('nonces').where('expires_at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type NonceRepository = ReturnType<typeof nonceRepository>;
