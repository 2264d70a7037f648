import { challengeSourcesOf } from '@vigil/core';
import type { Kysely } from 'kysely';
import { hot } from '../../hot/compiled.js';
import { newId } from '../../ids.js';
import { toJson } from '../../json.js';
import type { Database } from '../../schema.js';
import { familiarSetAfter, type PlannedFamiliarSet } from './familiar-set.js';
import type { NewEvaluation } from './types.js';
import type { UpsertedUser } from './statements.js';

// A production login's familiar set, when its user's upsert could not write it (familiar-set.ts).
const setFamiliarity = hot<{ userId: string; familiarity: string }, never>((db, p) => db.updateTable('users').set({ familiarity: p.familiarity }).where('id', '=', p.userId));

async function listIdFor(trx: Kysely<Database>, projectId: string, name: string, kind: string, now: number): Promise<string> {
  const existing = await trx.selectFrom('lists').select('id').where('project_id', '=', projectId).where('name', '=', name).executeTakeFirst();
  if (existing) return existing.id;
  // A policy may name a list nobody created yet: create it rather than lose the value.
  const id = newId('li');
  await trx.insertInto('lists').values({ id, project_id: projectId, name, type: kind, created_at: now }).execute();
  return id;
}

/** The decision's effects, as data from core; the store only carries them out. */
export async function applyEffects(
  trx: Kysely<Database>,
  e: NewEvaluation,
  user: UpsertedUser,
  deviceId: string | null,
  fingerprintId: string | null,
  planned: PlannedFamiliarSet | 'unchanged' | null,
) {
  const userId = user.id;
  for (const effect of e.effects) {
    switch (effect.type) {
      case 'suspend_user':
        await trx.updateTable('users').set({ is_suspended: 1 }).where('id', '=', userId).execute();
        break;
      case 'add_to_list': {
        const listId = await listIdFor(trx, e.projectId, effect.list, effect.kind, e.now);
        await trx
          .insertInto('list_entries')
          .values({ list_id: listId, value: effect.value, expires_at: null, created_at: e.now })
          .onConflict((oc) => oc.columns(['list_id', 'value']).doNothing())
          .execute();
        break;
      }
      case 'remove_from_list': {
        const list = await trx.selectFrom('lists').select('id').where('project_id', '=', e.projectId).where('name', '=', effect.list).executeTakeFirst();
        if (list) await trx.deleteFrom('list_entries').where('list_id', '=', list.id).where('value', '=', effect.value).execute();
        break;
      }
      case 'open_challenge': {
        const { kind, reasons, type: method, channels = [], ...config } = effect.challenge;
        if (!e.challenge) throw new Error('open_challenge needs the challenge id allocated by the caller');
        // A newer challenge for the same user and device replaces any still open (SPEC §7 `overridden`):
        // one page per device at a time, and an old link cannot be finished after a new one was sent.
        if (deviceId !== null) {
          await trx
            .updateTable('challenges')
            .set({ status: 'overridden', updated_at: e.now })
            .where('user_id', '=', userId)
            .where('device_id', '=', deviceId)
            .where('status', 'in', challengeSourcesOf('overridden'))
            .execute();
        }
        await trx
          .insertInto('challenges')
          .values({
            id: e.challenge.id,
            project_id: e.projectId,
            evaluation_id: e.id,
            user_id: userId,
            device_id: deviceId,
            fingerprint_id: fingerprintId,
            kind,
            method,
            policy_id: effect.policy,
            channels: toJson(channels),
            reasons: toJson(reasons),
            config: toJson(config),
            status: 'created',
            // The contact as it stands after this evaluation's own upsert (which a browser cannot
            // change): the challenge's codes will go there and nowhere else.
            email: user.email,
            phone: user.phone,
            created_at: e.now,
            updated_at: e.now,
          })
          .execute();
        break;
      }
      case 'observe_login': {
        const familiarity = familiarSetAfter(e, planned, user.familiarity);
        if (familiarity !== null) await setFamiliarity.run(trx, { userId, familiarity });
        break;
      }
      case 'record_device_conflict': {
        const [a, b] = [...effect.devices].sort() as [string, string];
        await trx
          .insertInto('device_conflicts')
          .values({ project_id: e.projectId, user_id: userId, device_a: a, device_b: b, first_seen_at: e.now })
          .onConflict((oc) => oc.columns(['user_id', 'device_a', 'device_b']).doNothing())
          .execute();
        break;
      }
    }
  }
}
