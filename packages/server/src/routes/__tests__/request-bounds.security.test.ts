import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../docs/openapi.js';
import { type Harness, bearer, createHarness } from '../../test-support/harness.js';

// Bug: strings had no bound, so one request could make the server work in proportion to its size —
// a policy whose field was 60,000 characters ran "did you mean" (Levenshtein) against every check and
// held every tenant up for 0.4 s. Every string a request carries is bounded before any work.

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; items?: Schema; additionalProperties?: boolean | Schema };

/**
 * Objects open to anything: allowed only here, each with what bounds its contents instead. The body
 * limit (VIGIL_BODY_LIMIT_BYTES) bounds them all.
 */
const OPEN: Record<string, string> = {
  'POST /v3/policies body': "core's validatePolicy: field names 128, values 1024, 200 conditions",
  'PUT /v3/policies/{id} body': "core's validatePolicy",
  'POST /v3/policies/test body.policy': "core's validatePolicy",
  'PUT /v3/risks body': "core's validateRiskOverrides: 50 risks, 100 rules, check names 128, values 1024",
  'POST /v3/client/evaluate body.signals': "the browser SDK's signals: a newer SDK may send more, read by name only",
  'POST /v3/client/evaluate body.signals.attributes': 'at most 100 signals, each read by name by one check',
};

/** Every string in a request schema with neither a maxLength nor a fixed value, and every open object not in OPEN. */
function unbounded(schema: Schema | undefined, where: string, found: string[]): void {
  // A fixed value (a literal, or null, which OpenAPI 3.0 spells `{ enum: [null] }`) is bounded.
  if (!schema || typeof schema !== 'object' || schema.const !== undefined || Array.isArray(schema.enum)) return;
  if (schema.type === 'string' && typeof schema.maxLength !== 'number') found.push(`${where}: a string without maxLength`);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const)
    for (const [i, s] of ((schema[key] as Schema[] | undefined) ?? []).entries()) unbounded(s, `${where}/${key}[${i}]`, found);
  for (const [name, s] of Object.entries(schema.properties ?? {})) unbounded(s, `${where}.${name}`, found);
  if (schema.items) unbounded(schema.items, `${where}[]`, found);
  const values = schema.additionalProperties;
  const isOpen = values === true || (typeof values === 'object' && Object.keys(values).length === 0) || (schema.type === 'object' && !schema.properties && values === undefined);
  if (isOpen) {
    if (!(where in OPEN)) found.push(`${where}: an object open to anything`);
  } else if (typeof values === 'object') {
    const names = schema.propertyNames as Schema | undefined;
    if (typeof names?.maxLength !== 'number') found.push(`${where}: a map whose keys have no maxLength`);
    unbounded(values, `${where}[*]`, found);
  }
}

describe('request bounds', () => {
  it('every string a /v3, /v2 or /dashboard/api request carries has a maxLength (or a fixed value)', async () => {
    const document = (await openApiDocument()) as {
      paths: Record<string, Record<string, { parameters?: { in: string; name: string; schema: Schema }[]; requestBody?: { content: Record<string, { schema: Schema }> } }>>;
    };
    const found: string[] = [];
    let checked = 0;
    for (const [path, operations] of Object.entries(document.paths)) {
      if (!/^\/(v3|v2|dashboard\/api)\//.test(path)) continue;
      for (const [method, operation] of Object.entries(operations)) {
        const route = `${method.toUpperCase()} ${path}`;
        for (const parameter of operation.parameters ?? []) unbounded(parameter.schema, `${route} ${parameter.in}.${parameter.name}`, found);
        for (const content of Object.values(operation.requestBody?.content ?? {})) unbounded(content.schema, `${route} body`, found);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(found).toEqual([]);
  });
});

describe('an over-long policy field', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  it('is refused 400 INVALID_POLICY without a suggestion or an echo, and nothing is stored', async () => {
    const field = 'is_new_ip'.padEnd(60_000, 'p');
    for (const url of ['/v3/policies', '/v3/policies/test']) {
      const policy = { name: 'p', events: ['login'], priority: 1, conditions: { any: [{ field, operator: 'eq', value: true }] }, action: { type: 'deny' } };
      const res = await h.inject({ method: 'POST', url, headers: bearer(h.project.secretKey), payload: url.endsWith('test') ? { policy } : policy });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'INVALID_POLICY', message: 'conditions.any[0].field: a field name is at most 128 characters' });
    }
    expect(await h.store.db.selectFrom('policies').select('id').execute()).toEqual([]);
  });

  it('refuses an over-long string in a schema-checked body with VALIDATION_ERROR', async () => {
    const res = await h.inject({ method: 'POST', url: '/v3/lists', headers: bearer(h.project.secretKey), payload: { name: 'a'.repeat(60_000), type: 'email' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_ERROR');
  });
});
