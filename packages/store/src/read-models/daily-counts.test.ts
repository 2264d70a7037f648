import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DailyCounts, newId, openStore, type Store } from '../index.js';
import { SETTLE_MS } from './daily-counts.js';

const DAY = 86_400_000;
const today = Math.floor(Date.UTC(2026, 10, 25, 12) / DAY);

describe('daily counts for the overview', () => {
  let store: Store;
  let projectId: string;
  const high = [{ category: 'ato', score: 60, severity: 'high' as const, contributions: [] }];
  const record = (at: number, verdict: 'allow' | 'deny', risks: typeof high = []) =>
    store.evaluations.record({
      id: newId('ev'),
      projectId,
      environment: 'production',
      channel: 'server',
      action: 'login',
      user: { externalId: 'alice', email: null, phone: null },
      deviceCookieId: null,
      deviceId: null,
      deviceClass: null,
      fingerprintHash: null,
      fingerprintId: null,
      ip: null,
      userAgent: null,
      origin: null,
      place: null,
      ipInfo: null,
      metadata: {},
      verdict,
      checks: {},
      reasons: [],
      risks,
      policy: null,
      challenge: null,
      redirect: null,
      effects: [],
      now: at,
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
    expect(Object.fromEntries(await counts.between(projectId, today - 3, today * DAY + 12 * 3_600_000))).toEqual({
      [today - 3]: none,
      [today - 2]: { verdicts: { allow: 1, deny: 1 }, severities: { low: 1, high: 1 } },
      [today - 1]: none,
      [today]: { verdicts: { allow: 1 }, severities: { low: 1 } },
    });
    // Today moves; an ended day was read once (a row slipped into it later is not re-counted).
    await record(today * DAY + 2, 'deny', high);
    await record((today - 2) * DAY + 7, 'deny');
    expect(Object.fromEntries(await counts.between(projectId, today - 2, today * DAY + 12 * 3_600_000))).toEqual({
      [today - 2]: { verdicts: { allow: 1, deny: 1 }, severities: { low: 1, high: 1 } },
      [today - 1]: none,
      [today]: { verdicts: { allow: 1, deny: 1 }, severities: { low: 1, high: 1 } },
    });
    // A fresh cache reads what is there.
    expect((await new DailyCounts(store).between(projectId, today - 2, today * DAY + 12 * 3_600_000)).get(today - 2)).toEqual({
      verdicts: { allow: 1, deny: 2 },
      severities: { low: 2, high: 1 },
    });
  });

  it("reads a day that ended moments ago afresh (another node's clock may be behind), and keeps it once settled", async () => {
    const counts = new DailyCounts(store);
    await record((today - 1) * DAY + 5, 'allow');
    // Five minutes into today: yesterday is counted, not kept yet.
    const early = today * DAY + 5 * 60_000;
    expect((await counts.between(projectId, today - 1, early)).get(today - 1)?.verdicts).toEqual({ allow: 1 });
    // A node whose clock is a minute behind records into yesterday: it is seen.
    await record(today * DAY - 60_000, 'deny');
    expect((await counts.between(projectId, today - 1, early + 1)).get(today - 1)?.verdicts).toEqual({ allow: 1, deny: 1 });
    // Settled (ten minutes on): read once more and kept; a later row no longer changes it.
    expect((await counts.between(projectId, today - 1, today * DAY + SETTLE_MS)).get(today - 1)?.verdicts).toEqual({ allow: 1, deny: 1 });
    await record(today * DAY - 1, 'deny');
    expect((await counts.between(projectId, today - 1, today * DAY + SETTLE_MS + 1)).get(today - 1)?.verdicts).toEqual({ allow: 1, deny: 1 });
  });
});
