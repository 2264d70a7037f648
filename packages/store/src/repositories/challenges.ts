import type { Kysely } from 'kysely';
import { fromJson } from '../json.js';
import type { Database } from '../schema.js';

export interface ChallengeRecord {
  id: string;
  evaluationId: string;
  userId: string;
  deviceId: string | null;
  kind: string;
  method: string;
  channels: string[];
  reasons: string[];
  config: Record<string, unknown>;
  status: string;
  createdAt: number;
  updatedAt: number;
}

export function challengeRepository(db: Kysely<Database>) {
  return {
    async find(projectId: string, id: string): Promise<ChallengeRecord | null> {
      const r = await db.selectFrom('challenges').selectAll().where('id', '=', id).where('project_id', '=', projectId).executeTakeFirst();
      if (!r) return null;
      return {
        id: r.id,
        evaluationId: r.evaluation_id,
        userId: r.user_id,
        deviceId: r.device_id,
        kind: r.kind,
        method: r.method,
        channels: fromJson<string[]>(r.channels, []),
        reasons: fromJson<string[]>(r.reasons, []),
        config: fromJson<Record<string, unknown>>(r.config, {}),
        status: r.status,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      };
    },
  };
}

export type ChallengeRepository = ReturnType<typeof challengeRepository>;
