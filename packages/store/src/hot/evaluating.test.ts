import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evaluationSubjects, type NewEvaluation, type Store } from '../index.js';
import { migratedWithProject, storeDialects } from '../test-support/dialects.js';
import { newEvaluation } from '../test-support/new-evaluation.js';

// Store.evaluating on both dialects: SQLite's group commit, PostgreSQL's subject locks. Real databases.
const dialects = storeDialects(8);
const t0 = Date.UTC(2026, 11, 4, 9, 0, 0);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(Object.entries(dialects))('Store.evaluating on %s', (dialect, open) => {
  let store: Store;
  let projectId: string;
  beforeEach(async () => {
    ({ store, projectId } = await migratedWithProject(open, t0));
  });
  afterEach(() => store.close());

  const evaluation = (user: string, over: Partial<NewEvaluation> = {}) => newEvaluation(projectId, user, { now: t0, ...over });
  const subjects = (user: string) => evaluationSubjects(projectId, { user, ip: '203.0.113.7', fingerprint: null, deviceCookieId: null });

  it('keeps every piece of work that succeeded when one beside it fails, and only then answers', async () => {
    const users = Array.from({ length: 20 }, (_, i) => `user-${i}`);
    const outcomes = await Promise.allSettled(
      users.map((user, i) =>
        store.evaluating(subjects(user), async (scope) => {
          const recorded = await scope.record(evaluation(user));
          if (i === 7) throw new Error('this one fails after writing');
          // Once answered, the evaluation is readable by anyone: it was committed before the answer.
          return recorded.id;
        }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1);
    expect((outcomes[7] as PromiseRejectedResult).reason).toMatchObject({ message: 'this one fails after writing' });
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') expect(await store.evaluations.find(projectId, outcome.value)).not.toBeNull();
    }
    // The failed one's writes (its user, its evaluation) rolled back alone.
    const stored = await store.db.selectFrom('users').select('external_id').where('project_id', '=', projectId).execute();
    expect(stored.map((u) => u.external_id).sort()).toEqual(users.filter((_, i) => i !== 7).sort());
    expect(await store.db.selectFrom('evaluations').select('id').execute()).toHaveLength(19);
  });

  it('runs work that shares a subject one at a time, each reading what the one before wrote', async () => {
    // Each reads the count of the user's evaluations, waits (another could slip in here), then writes.
    const seen: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, () =>
        store.evaluating(subjects('alice'), async (scope) => {
          const { snapshot } = await scope.history.load({
            projectId,
            userExternalId: 'alice',
            ip: '203.0.113.7',
            fingerprintHash: null,
            deviceCookieId: null,
            origin: null,
            eventCounts: [{ key: 'n', action: '*', windowMs: 3_600_000, by: 'user' }],
            now: t0 + 1000,
            retentionMs: 86_400_000,
          });
          await sleep(5);
          seen.push(snapshot.eventCounts.n ?? -1);
          await scope.record(evaluation('alice'));
        }),
      ),
    );
    expect(seen.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  // PostgreSQL runs work that shares nothing side by side; SQLite runs it one after another (one writer).
  it(dialect === 'postgres' ? 'lets work on different subjects run side by side' : 'runs work one piece at a time, whatever its subjects', async () => {
    let running = 0;
    let most = 0;
    await Promise.all(
      ['a', 'b', 'c', 'd'].map((user) =>
        store.evaluating(evaluationSubjects(projectId, { user, ip: null, fingerprint: null, deviceCookieId: null }), async () => {
          running += 1;
          most = Math.max(most, running);
          await sleep(50);
          running -= 1;
        }),
      ),
    );
    if (dialect === 'postgres') expect(most).toBeGreaterThan(1);
    else expect(most).toBe(1);
  });
});
