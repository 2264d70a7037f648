import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DailyCounts, newId, openStore, type Store } from '../index.js';

const DAY = 86_400_000;
const today = Math.floor(Date.UTC(2026, 10, 25, 12) / DAY);

describe('daily counts for the overview', () => {
  let store: Store;
  let projectId: string;
  const high = [{ category: 'ato', score: 60, severity: 'high' as const, contributions: [] }];
  const record = (at: number, verdict: 'allow' | 'deny', risks: typeof high = []) =>
    store.evaluations.record({
      id: newId('ev'), projectId, environment: 'production', channel: 'server', action: 'login', user: { externalId: 'alice', email: null, phone: null },
      deviceCookieId: null, deviceId: null, deviceClass: null, fingerprintHash: null, fingerprintId: null, ip: null, userAgent: null, origin: null, place: null, ipInfo: null,
      metadata: {}, verdict, checks: {}, reasons: [], risks, policy: null, challenge: null, redirect: null, effects: [], now: at,
    });
  beforeEach(async () => {
    store = await openStore({ dialect: 'sqlite', file: ':memory:' });
    await store.migrate();
    projectId = (await store.projects.create({ name: 'A', allowedOrigins: [], now: today * DAY })).project.id;
  });
  afterEach(() => store.close());

  it('counts each day by verdict and highest risk, keeps ended days, and counts today afresh', async () => {
    await record((today - 2) * DAY + 5, 'allow');
    await record((today - 2) * DAY + 6, 'deny', high);
    await record(today * DAY + 1, 'allow');
    const counts = new DailyCounts(store);
    const none = { verdicts: {}, severities: {} };
    expect(Object.fromEntries(await counts.between(projectId, today - 3, today))).toEqual({
      [today - 3]: none,
      [today - 2]: { verdicts: { allow: 1, deny: 1 }, severities: { low: 1, high: 1 } },
      [today - 1]: none,
      [today]: { verdicts: { allow: 1 }, severities: { low: 1 } },
    });
    // Today moves; an ended day was read once (a row slipped into it later is not re-counted).
    await record(today * DAY + 2, 'deny', high);
    await record((today - 2) * DAY + 7, 'deny');
    expect(Object.fromEntries(await counts.between(projectId, today - 2, today))).toEqual({
      [today - 2]: { verdicts: { allow: 1, deny: 1 }, severities: { low: 1, high: 1 } },
      [today - 1]: none,
      [today]: { verdicts: { allow: 1, deny: 1 }, severities: { low: 1, high: 1 } },
    });
    // A fresh cache reads what is there.
    expect((await new DailyCounts(store).between(projectId, today - 2, today)).get(today - 2)).toEqual({ verdicts: { allow: 1, deny: 2 }, severities: { low: 2, high: 1 } });
  });
});
