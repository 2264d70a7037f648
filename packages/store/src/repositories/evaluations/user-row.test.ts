import type { Effect } from '@vigil/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewEvaluation, Store } from '../../index.js';
import { migratedWithProject, storeDialects } from '../../test-support/dialects.js';
import { historyKey, newEvaluation } from '../../test-support/new-evaluation.js';

// The user's own row is not written again within a minute of its last write when the evaluation would
// change nothing of it but its last-seen time (record.ts, `unchangedUser`); anything more (a contact the
// channel may set, a familiar set learned, a challenge opened) writes it at once. As evaluate.ts does,
// each evaluation here loads its history and records with what it read, on both dialects.
const t0 = Date.UTC(2026, 11, 6, 9, 0, 0);
const MINUTE = 60_000;
const DAY = 86_400_000;

const observation = (ip: string): Effect => ({ type: 'observe_login', trust: 'trusted', traits: { ip, country: 'FR' }, place: null, retentionMs: 90 * DAY });
const challenge: Effect = { type: 'open_challenge', policy: 'po_1', challenge: { type: 'verification', channels: ['email'], kind: 'account_takeover', reasons: ['new_ip'] } };

describe.each(Object.entries(storeDialects()))("the user's row on %s", (_dialect, open) => {
  let store: Store;
  let projectId: string;
  beforeEach(async () => {
    ({ store, projectId } = await migratedWithProject(open, t0));
  });
  afterEach(() => store.close());

  type Sent = Partial<Pick<NewEvaluation, 'channel' | 'effects' | 'user' | 'ip' | 'verdict'>>;
  /** Loads `user`'s history and records an evaluation with what it read, at `now`. */
  const evaluate = (user: string, now: number, sent: Sent = {}) =>
    store.evaluating([`user:${user}`], async (scope) => {
      const { snapshot, lastSightings } = await scope.history.load(historyKey(projectId, user, { ...(sent.ip ? { ip: sent.ip } : {}), now }));
      const e = newEvaluation(projectId, user, {
        ...sent,
        user: { externalId: user, email: null, phone: null, ...sent.user },
        lastSightings,
        familiarity: snapshot.familiarity,
        now,
      });
      if (e.effects.some((effect) => effect.type === 'open_challenge'))
        e.challenge = { id: `ch_${now}`, type: 'account_takeover', method: 'verification', status: 'created', channels: ['email'], reasons: [] };
      return scope.record(e);
    });
  const row = async (user: string) => {
    const r = await store.db
      .selectFrom('users')
      .select(['id', 'last_seen_at', 'email', 'phone', 'is_email_verified', 'familiarity'])
      .where('project_id', '=', projectId)
      .where('external_id', '=', user)
      .executeTakeFirstOrThrow();
    return { ...r, last_seen_at: Number(r.last_seen_at), is_email_verified: Number(r.is_email_verified) };
  };
  const email = (address: string) => ({ user: { externalId: 'alice', email: address, phone: null } });

  it('skips it within a minute of its last write, moves it once a minute has passed, and every evaluation names the user', async () => {
    await evaluate('alice', t0, email('alice@example.com'));
    await evaluate('alice', t0 + 30_000, email('alice@example.com'));
    await evaluate('alice', t0 + MINUTE - 1, email('alice@example.com'));
    expect((await row('alice')).last_seen_at).toBe(t0);
    await evaluate('alice', t0 + MINUTE, email('alice@example.com'));
    expect((await row('alice')).last_seen_at).toBe(t0 + MINUTE);
    // An evaluation out of order (earlier than the row's time) changes nothing either way.
    await evaluate('alice', t0 + 10_000);
    expect((await row('alice')).last_seen_at).toBe(t0 + MINUTE);
    const { id } = await row('alice');
    const named = await store.db.selectFrom('evaluations').select('user_id').where('project_id', '=', projectId).execute();
    expect(named.map((e) => e.user_id)).toEqual([id, id, id, id, id]);
  });

  it('writes a contact the backend vouches for at once, and it is no longer verified', async () => {
    await evaluate('alice', t0, email('alice@example.com'));
    await store.db.updateTable('users').set({ is_email_verified: 1 }).where('project_id', '=', projectId).execute();
    await evaluate('alice', t0 + 5_000, email('alice@example.com'));
    expect(await row('alice')).toMatchObject({ email: 'alice@example.com', is_email_verified: 1, last_seen_at: t0 });
    await evaluate('alice', t0 + 10_000, email('alice@new.example'));
    expect(await row('alice')).toMatchObject({ email: 'alice@new.example', is_email_verified: 0, last_seen_at: t0 + 10_000 });
  });

  it("writes a browser's contact for a user who has none at once, and never changes one within the minute either", async () => {
    const browser = { channel: 'client' as const };
    await evaluate('bob', t0, browser);
    await evaluate('bob', t0 + 5_000, { ...browser, user: { externalId: 'bob', email: 'bob@example.com', phone: null } });
    expect(await row('bob')).toMatchObject({ email: 'bob@example.com', last_seen_at: t0 + 5_000 });
    await evaluate('bob', t0 + 10_000, { ...browser, user: { externalId: 'bob', email: 'attacker@example.com', phone: '+33612345678' } });
    expect(await row('bob')).toMatchObject({ email: 'bob@example.com', phone: null, last_seen_at: t0 + 5_000 });
  });

  it('writes a familiar set learned within the minute, and not one that learned nothing', async () => {
    await evaluate('alice', t0, { effects: [observation('203.0.113.7')] });
    const first = await row('alice');
    // The same visit again: nothing learned, nothing written.
    await evaluate('alice', t0 + 5_000, { effects: [observation('203.0.113.7')] });
    expect(await row('alice')).toEqual(first);
    // A new network seconds later is learned, with the row.
    await evaluate('alice', t0 + 10_000, { ip: '198.51.100.9', effects: [observation('198.51.100.9')] });
    const after = await row('alice');
    expect(after.last_seen_at).toBe(t0 + 10_000);
    expect(after.familiarity).not.toBe(first.familiarity);
    expect(after.familiarity).toContain('198.51.100');
  });

  it('writes it when a challenge opens: its codes go to the contact as the upsert leaves it', async () => {
    await evaluate('alice', t0, email('alice@example.com'));
    await evaluate('alice', t0 + 5_000, { ...email('alice@example.com'), verdict: 'challenge', effects: [challenge] });
    expect((await row('alice')).last_seen_at).toBe(t0 + 5_000);
    const [opened] = await store.db.selectFrom('challenges').select(['email', 'user_id']).execute();
    expect(opened).toEqual({ email: 'alice@example.com', user_id: (await row('alice')).id });
  });
});
