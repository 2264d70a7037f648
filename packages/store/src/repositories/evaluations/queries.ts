import { isChallengeStatus } from '@vigil/core';
import { type Kysely, sql } from 'kysely';
import { type Severity, riskFlagPatterns } from '../../risk-flags.js';
import type { Database } from '../../schema.js';
import type { Environment } from '../projects.js';
import { before } from '../keyset.js';
import { type ConsumeResult, type EvaluationFilter, type EvaluationRecord, toRecord } from './types.js';

/** Reading evaluations back: one by id, a page of them, counts by day, and consuming one. */
export function evaluationQueries(db: Kysely<Database>) {
  /** `environment`: a secret key's, which sees only its environment's evaluations; absent, every environment's (the dashboard). */
  async function find(projectId: string, id: string, environment?: Environment): Promise<EvaluationRecord | null> {
    let query = db.selectFrom('evaluations').selectAll().where('id', '=', id).where('project_id', '=', projectId);
    if (environment !== undefined) query = query.where('environment', '=', environment);
    const row = await query.executeTakeFirst();
    return row ? withLiveChallenge(toRecord(row)) : null;
  }

  /** The evaluation stores its challenge as opened; its status moves on, so it is read as it is now. */
  async function withLiveChallenge(e: EvaluationRecord): Promise<EvaluationRecord> {
    const opened = e.challenge;
    if (!opened || typeof opened.id !== 'string') return e;
    const now = await db.selectFrom('challenges').select(['status']).where('id', '=', opened.id).executeTakeFirst();
    return now && isChallengeStatus(now.status) ? { ...e, challenge: { ...opened, status: now.status } } : e;
  }

  return {
    find,

    /**
     * A page of the project's evaluations, newest first, filtered: keyset pagination on (created_at, id),
     * so page 1,000 costs what page 1 does. A verdict other than `allow`, a user and an IP each have an
     * index; an action or `allow` walks the project's time index (every index on evaluations is paid
     * by every evaluation's insert, and those filters match a large share of rows).
     */
    async search(projectId: string, filter: EvaluationFilter): Promise<{ data: EvaluationRecord[]; next: { createdAt: number; id: string } | null }> {
      let q = db.selectFrom('evaluations').selectAll().where('project_id', '=', projectId);
      if (filter.action) q = q.where('action', '=', filter.action);
      if (filter.verdict) q = q.where('verdict', '=', filter.verdict);
      // The verdict index holds only what is not `allow` (most rows are, and they are found densely on the
      // project's time index); the condition is written as the index states it, so both databases use it.
      if (filter.verdict && filter.verdict !== 'allow') q = q.where('verdict', '<>', sql.lit('allow'));
      // By the user's id, found from the application's: `evaluations_user_time` serves it.
      if (filter.user) {
        const externalId = filter.user;
        q = q.where('user_id', 'in', (eb) => eb.selectFrom('users').select('id').where('project_id', '=', projectId).where('external_id', '=', externalId));
      }
      if (filter.ip) q = q.where('ip', '=', filter.ip);
      if (filter.from !== undefined) q = q.where('created_at', '>=', filter.from);
      if (filter.to !== undefined) q = q.where('created_at', '<', filter.to);
      if (filter.risk) {
        const patterns = riskFlagPatterns(filter.risk);
        q = q.where((eb) => eb.or(patterns.map((p) => eb('risk_flags', 'like', p))));
      }
      if (filter.after) {
        const { createdAt, id } = filter.after;
        q = q.where(before('created_at', 'id', { at: createdAt, id }));
      }
      const rows = await q
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(filter.limit + 1)
        .execute();
      const data = rows.slice(0, filter.limit).map(toRecord);
      const last = data.at(-1);
      return { data, next: rows.length > filter.limit && last ? { createdAt: last.createdAt, id: last.id } : null };
    },

    /** Evaluations per UTC day, verdict and highest risk severity in [since, until) (the dashboard's overview). */
    async countsByDay(projectId: string, since: number, until?: number): Promise<{ day: number; verdict: string; severity: Severity; count: number }[]> {
      const day = sql<number>`floor(created_at / 86400000)`;
      const severity = sql<Severity>`case when risk_flags like '%:maximum %' then 'maximum' when risk_flags like '%:high %' then 'high' when risk_flags like '%:medium %' then 'medium' else 'low' end`;
      let q = db
        .selectFrom('evaluations')
        .select([day.as('day'), 'verdict', severity.as('severity'), (eb) => eb.fn.countAll<number>().as('n')])
        .where('project_id', '=', projectId)
        .where('created_at', '>=', since);
      if (until !== undefined) q = q.where('created_at', '<', until);
      const rows = await q.groupBy([day, 'verdict', severity]).execute();
      return rows.map((r) => ({ day: Number(r.day), verdict: r.verdict, severity: r.severity, count: Number(r.n) }));
    },

    /** The project's evaluations since a moment, newest first (policy tests replay them). */
    async since(projectId: string, environment: Environment, since: number, limit: number): Promise<EvaluationRecord[]> {
      const rows = await db
        .selectFrom('evaluations')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('environment', '=', environment)
        .where('created_at', '>=', since)
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toRecord);
    },

    /** Marks an evaluation consumed, exactly once even when two backends race to confirm it. */
    async consume(projectId: string, id: string, now: number, environment?: Environment): Promise<ConsumeResult> {
      let update = db
        .updateTable('evaluations')
        .set({ consumed_at: now, updated_at: now })
        .where('id', '=', id)
        .where('project_id', '=', projectId)
        .where('consumed_at', 'is', null);
      // Another environment's evaluation is not consumed, and is "not found", like another project's.
      if (environment !== undefined) update = update.where('environment', '=', environment);
      const result = await update.executeTakeFirst();
      const evaluation = await find(projectId, id, environment);
      if (!evaluation) return { status: 'not_found' };
      return Number(result.numUpdatedRows) === 1 ? { status: 'consumed', evaluation } : { status: 'already_consumed', evaluation };
    },
  };
}
