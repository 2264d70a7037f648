import type { Kysely } from 'kysely';
import { hotVariants } from '../../hot/compiled.js';
import type { Database } from '../../schema.js';
import type { EventCountQuery, HistoryKey, KnownIds } from './types.js';

type Params = { value: string; from: number; to: number; projectId: string; action: string };
const COLUMN = { user: 'user_id', ip: 'ip', fingerprint: 'fingerprint_id', device: 'device_id' } as const;

// One shape per subject and whether an action is named: `${by}:${'*' | 'action'}`.
const statement = hotVariants<`${EventCountQuery['by']}:${'*' | 'action'}`, Params, { n: number }>((db, p, shape) => {
  const [by, action] = shape.split(':') as [EventCountQuery['by'], string];
  let query = db
    .selectFrom('evaluations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(COLUMN[by], '=', p.value)
    // Sliding and exact to the millisecond: (now − window, now].
    .where('created_at', '>', p.from)
    .where('created_at', '<=', p.to);
  if (by === 'ip') query = query.where('project_id', '=', p.projectId);
  if (action !== '*') query = query.where('action', '=', p.action);
  return query;
});

/** The `event_count`s the policies ask for, this evaluation included, by their key. */
export async function eventCounts(db: Kysely<Database>, key: HistoryKey, ids: KnownIds): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const q of key.eventCounts) {
    const value = q.by === 'user' ? ids.userId : q.by === 'ip' ? key.ip : q.by === 'fingerprint' ? ids.fingerprintId : ids.deviceId;
    // This evaluation is one of the events; nothing stored yet when the subject is new.
    if (value === null) {
      counts[q.key] = 1;
      continue;
    }
    const row = await statement(`${q.by}:${q.action === '*' ? '*' : 'action'}`).first(db, {
      value,
      from: key.now - q.windowMs,
      to: key.now,
      projectId: key.projectId,
      action: q.action,
    });
    counts[q.key] = Number(row?.n ?? 0) + 1;
  }
  return counts;
}
