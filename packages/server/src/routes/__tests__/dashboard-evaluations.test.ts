import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, type TestDialect, bearer, createHarness, operatorSession } from '../../test-support/harness.js';

// The dashboard's evaluation search on both databases: the risk filter (a category, a severity or
// both) returns exactly the evaluations whose risks qualify, and bad filters get a clear 400.
const torExit = readFileSync(new URL('../../../../intel/data/ip/tor/tor_exit_nodes_2024-02-27.lst', import.meta.url), 'utf8')
  .split('\n')[0]!
  .trim();
const order = ['low', 'medium', 'high', 'maximum'];

describe.each(['sqlite', 'postgres'] as TestDialect[])('dashboard evaluation filters on %s', (dialect) => {
  let h: Harness;
  let get: (url: string) => Promise<{ status: number; body: any }>;
  beforeEach(async () => {
    h = await createHarness({ dialect });
    const session = await operatorSession(h);
    get = async (url) => {
      const res = await h.inject({ method: 'GET', url, headers: session.headers });
      return { status: res.statusCode, body: res.json() };
    };
  });
  afterEach(() => h.close());

  it('finds the evaluations with a risk at a severity or above, and only those', async () => {
    const made: { id: string; risks: { category: string; severity: string }[] }[] = [];
    const evaluate = async (body: Record<string, unknown>) => {
      const res = await h.inject({ method: 'POST', url: '/v3/evaluations', headers: bearer(h.project.secretKey), payload: body });
      expect(res.statusCode, res.body).toBe(201);
      made.push({ id: res.json().id, risks: res.json().risks });
      h.clock.now += 60_000;
    };
    await evaluate({ action: 'login', user: 'alice', ip: '84.208.1.1' });
    await evaluate({ action: 'login', user: 'alice', ip: torExit });
    await evaluate({ action: 'signup', user: 'zed', email: 'zed@mailinator.com', ip: torExit });
    await evaluate({ action: 'login', user: 'bob', ip: '84.208.1.1' });
    const qualifies = (category: string | null, atLeast: string) =>
      made.filter((e) => e.risks.some((r) => (category === null || r.category === category) && order.indexOf(r.severity) >= order.indexOf(atLeast))).map((e) => e.id);
    const found = async (query: string) => {
      const res = await get(`/dashboard/api/projects/${h.project.id}/evaluations?${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.data.map((e: { id: string }) => e.id).reverse();
    };
    // The cases are only worth something if they split the evaluations: some match, some do not.
    const cases: [string, string | null, string][] = [
      ['risk=ato', 'ato', 'medium'],
      ['risk=fake_account&severity=high', 'fake_account', 'high'],
      ['severity=high', null, 'high'],
      ['severity=maximum', null, 'maximum'],
      ['risk=scraping&severity=medium', 'scraping', 'medium'],
    ];
    let splitting = 0;
    for (const [query, category, atLeast] of cases) {
      const expected = qualifies(category, atLeast);
      expect(await found(query), query).toEqual(expected);
      if (expected.length > 0 && expected.length < made.length) splitting++;
    }
    expect(splitting).toBeGreaterThanOrEqual(2);

    // The overview counts the same evaluations per day by verdict and by their highest risk.
    const overview = await get(`/dashboard/api/projects/${h.project.id}/overview?days=3`);
    expect(overview.status).toBe(200);
    const highest = (e: (typeof made)[number]) => order[Math.max(0, ...e.risks.map((r) => order.indexOf(r.severity)))]!;
    const expectedSeverities: Record<string, number> = {};
    for (const e of made) expectedSeverities[highest(e)] = (expectedSeverities[highest(e)] ?? 0) + 1;
    const today = overview.body.days.at(-1);
    expect(today.severities).toEqual(expectedSeverities);
    expect(Object.values(today.verdicts).reduce((a: number, b) => a + (b as number), 0)).toBe(made.length);
  });

  it('refuses a malformed risk or severity with a clear error', async () => {
    for (const query of ['severity=low', 'severity=extreme', 'risk=ATO', 'risk=a%25b', 'risk=']) {
      const res = await get(`/dashboard/api/projects/${h.project.id}/evaluations?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
    }
  });
});
