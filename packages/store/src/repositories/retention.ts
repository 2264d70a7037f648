import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { dropPartitionsBefore, ensureMonthlyPartitions, partitioned } from './partitions.js';

export interface PurgeResult {
  evaluations: number;
  challenges: number;
  sightings: number;
}

/**
 * Retention (SPEC §11): what is older than a project's retention goes, in small batches so that a first
 * purge of a large backlog never holds a long write lock. Evaluations and challenges by when they were
 * made; the sightings of IPs, devices and fingerprints (personal data too) by when they were last seen.
 * Users, devices and lists stay: they are the application's accounts and the operator's decisions.
 */
export function retentionRepository(db: Kysely<Database>) {
  const count = (r: { numDeletedRows?: bigint }[]) => r.reduce((n, x) => n + Number(x.numDeletedRows ?? 0), 0);
  async function inBatches(remove: () => Promise<number>, batchSize: number): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await remove();
      total += n;
      if (n < batchSize) return total;
    }
  }
  return {
    /**
     * PostgreSQL's month partitions of evaluations: the coming months made ahead, and the months wholly
     * older than `before` (the longest retention of any project) dropped whole. SQLite: nothing to do.
     */
    async rollPartitions(now: number, before: number): Promise<{ made: string[]; dropped: string[] }> {
      if (!partitioned(db)) return { made: [], dropped: [] };
      return { made: await ensureMonthlyPartitions(db, now), dropped: await dropPartitionsBefore(db, before) };
    },

    async purge(projectId: string, before: number, batchSize = 5000): Promise<PurgeResult> {
      const evaluations = await inBatches(async () => {
        const ids = db.selectFrom('evaluations').select('id').where('project_id', '=', projectId).where('created_at', '<', before).limit(batchSize);
        return count(await db.deleteFrom('evaluations').where('id', 'in', ids).execute());
      }, batchSize);
      const challenges = await inBatches(async () => {
        const ids = db.selectFrom('challenges').select('id').where('project_id', '=', projectId).where('created_at', '<', before).limit(batchSize);
        return count(await db.deleteFrom('challenges').where('id', 'in', ids).execute());
      }, batchSize);
      let sightings = 0;
      for (const table of ['user_ips', 'user_devices', 'user_fingerprints'] as const) {
        sightings += count(await db.deleteFrom(table).where('project_id', '=', projectId).where('last_seen_at', '<', before).execute());
      }
      return { evaluations, challenges, sightings };
    },
  };
}
