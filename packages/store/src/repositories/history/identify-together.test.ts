import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../index.js';
import { migratedWithProject, storeDialects } from '../../test-support/dialects.js';
import { newEvaluation } from '../../test-support/new-evaluation.js';
import { watched } from '../../test-support/watched.js';
import { identifyingEach, identifyingTogether } from './resolve-ids.js';

// On PostgreSQL the evaluations of a shared transaction that ask in the same turn are identified by one
// statement (per shape): each must get what a statement of its own gives it, in its own place.
const t0 = Date.UTC(2026, 11, 6, 9, 0, 0);
const RETENTION = 90 * 86_400_000;

describe('identifying evaluations together on PostgreSQL', () => {
  let store: Store;
  let projectId: string;
  beforeEach(async () => {
    ({ store, projectId } = await migratedWithProject(storeDialects().postgres, t0));
    // Three users seen before; the second shares its IP with a fourth, so their counts differ.
    const seen: [string, string, string][] = [
      ['ann', '203.0.113.1', 'fp-ann'],
      ['bob', '203.0.113.2', 'fp-bob'],
      ['cy', '203.0.113.3', 'fp-cy'],
      ['dee', '203.0.113.2', 'fp-dee'],
    ];
    for (const [user, ip, fingerprintHash] of seen) {
      await store.evaluating([`user:${user}`], (scope) => scope.record(newEvaluation(projectId, user, { ip, fingerprintHash, fingerprintId: `fp_${user}`, now: t0 })));
    }
  });
  afterEach(() => store.close());

  const asked = (user: string, ip: string, hash: string, origin = '') => ({
    shape: `i${hash ? 'f' : ''}${origin ? 'o' : ''}`,
    params: { projectId, externalId: user, ip, cookieId: '', hash, origin, since: t0 + 1_000 - RETENTION, dayAgo: t0 + 1_000 - 86_400_000 },
  });

  it('answers each of those asking in one turn from one statement, in its own place, as a statement of its own would', async () => {
    const asking = [asked('cy', '203.0.113.3', 'fp-cy'), asked('nobody', '203.0.113.9', 'fp-new'), asked('bob', '203.0.113.2', 'fp-bob'), asked('ann', '203.0.113.1', 'fp-ann')];
    await store.db.transaction().execute(async (trx) => {
      const statements: string[] = [];
      const together = identifyingTogether(watched(trx, statements));
      const answers = await Promise.all(asking.map(({ shape, params }) => together(shape, params)));
      expect(statements).toHaveLength(1);
      expect(statements[0]).toContain('unnest');
      const each = identifyingEach(trx);
      for (const [i, { shape, params }] of asking.entries()) expect(answers[i]).toEqual(await each(shape, params));
      // Not vacuous: the users differ in what is found for them.
      expect(answers.map((a) => a?.id === null)).toEqual([false, true, false, false]);
      expect(answers.map((a) => Number(a?.ips))).toEqual([0, 0, 1, 0]);
      expect(new Set(answers.map((a) => a?.fingerprint_id)).size).toBe(4);
    });
  });

  it('asks once per shape, and one alone by the statement of its own', async () => {
    await store.db.transaction().execute(async (trx) => {
      const statements: string[] = [];
      const together = identifyingTogether(watched(trx, statements));
      const mixed = [asked('ann', '203.0.113.1', 'fp-ann'), asked('bob', '203.0.113.2', 'fp-bob', 'https://shop.example'), asked('cy', '203.0.113.3', 'fp-cy')];
      const answers = await Promise.all(mixed.map(({ shape, params }) => together(shape, params)));
      expect(statements).toHaveLength(2);
      expect(statements.filter((s) => s.includes('unnest'))).toHaveLength(1);
      expect(answers.map((a) => a?.fingerprint_id)).toEqual(['fp_ann', 'fp_bob', 'fp_cy']);

      statements.length = 0;
      const dee = asked('dee', '203.0.113.2', 'fp-dee');
      const alone = await together(dee.shape, dee.params);
      expect(statements).toHaveLength(1);
      expect(statements[0]).not.toContain('unnest');
      expect(alone?.fingerprint_id).toBe('fp_dee');
    });
  });
});
