import type { Kysely } from 'kysely';
import { newId } from '../ids.js';
import type { Database } from '../schema.js';

export interface Operator {
  id: string;
  email: string;
  passwordHash: string;
  createdAt: number;
  lastLoginAt: number | null;
}

const toOperator = (r: Database['operators']): Operator => ({
  id: r.id,
  email: r.email,
  passwordHash: r.password_hash,
  createdAt: Number(r.created_at),
  lastLoginAt: r.last_login_at === null ? null : Number(r.last_login_at),
});

/** Dashboard operators (emails are kept lowercased) and their sessions, by the hash of the session token. */
export function operatorRepository(db: Kysely<Database>) {
  return {
    async count(): Promise<number> {
      const row = await db
        .selectFrom('operators')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** Creates an operator; null when one with this email exists. */
    async create(input: { email: string; passwordHash: string; now: number }): Promise<Operator | null> {
      const row = { id: newId('op'), email: input.email.toLowerCase(), password_hash: input.passwordHash, created_at: input.now, last_login_at: null };
      const inserted = await db
        .insertInto('operators')
        .values(row)
        .onConflict((oc) => oc.column('email').doNothing())
        .executeTakeFirst();
      return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0 ? toOperator(row) : null;
    },

    async findByEmail(email: string): Promise<Operator | null> {
      const row = await db.selectFrom('operators').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
      return row ? toOperator(row) : null;
    },

    async openSession(input: { operatorId: string; tokenHash: string; csrfToken: string; now: number; expiresAt: number }): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('operator_sessions')
          .values({ token_hash: input.tokenHash, operator_id: input.operatorId, csrf_token: input.csrfToken, created_at: input.now, expires_at: input.expiresAt })
          .execute();
        await trx.updateTable('operators').set({ last_login_at: input.now }).where('id', '=', input.operatorId).execute();
        // Expired sessions go as new ones come.
        await trx.deleteFrom('operator_sessions').where('expires_at', '<=', input.now).execute();
      });
    },

    /** The operator of a live session, with its CSRF token; null when unknown or expired. */
    async session(tokenHash: string, now: number): Promise<{ operator: Operator; csrfToken: string } | null> {
      const row = await db
        .selectFrom('operator_sessions')
        .innerJoin('operators', 'operators.id', 'operator_sessions.operator_id')
        .selectAll('operators')
        .select(['operator_sessions.csrf_token', 'operator_sessions.expires_at'])
        .where('operator_sessions.token_hash', '=', tokenHash)
        .executeTakeFirst();
      if (!row || Number(row.expires_at) <= now) return null;
      return { operator: toOperator(row), csrfToken: row.csrf_token };
    },

    /** Every operator, oldest first. */
    async list(): Promise<Operator[]> {
      return (await db.selectFrom('operators').selectAll().orderBy('created_at').orderBy('id').execute()).map(toOperator);
    },

    /** Removes an operator and ends their sessions; false when there is no such operator. */
    async remove(id: string): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        await trx.deleteFrom('operator_sessions').where('operator_id', '=', id).execute();
        const removed = await trx.deleteFrom('operators').where('id', '=', id).executeTakeFirst();
        return Number(removed.numDeletedRows) > 0;
      });
    },

    async closeSession(tokenHash: string): Promise<void> {
      await db.deleteFrom('operator_sessions').where('token_hash', '=', tokenHash).execute();
    },
  };
}

export type OperatorRepository = ReturnType<typeof operatorRepository>;
