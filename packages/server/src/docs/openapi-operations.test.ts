import { beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from './openapi.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

type Operation = { method: string; path: string; operationId: unknown };

/** Every operation of the document (every method of every path), with its operationId if it has one. */
function operationsOf(document: Record<string, unknown>): Operation[] {
  const paths = (document.paths ?? {}) as Record<string, Record<string, unknown>>;
  return Object.entries(paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method] !== undefined).map((method) => ({ method, path, operationId: (item[method] as { operationId?: unknown }).operationId })),
  );
}

describe('OpenAPI operations', () => {
  let operations: Operation[];
  beforeAll(async () => {
    operations = operationsOf(await openApiDocument());
  });

  it('the document has operations', () => {
    expect(operations.length).toBeGreaterThan(0);
  });

  it('every operation has an operationId', () => {
    const missing = operations.filter((o) => typeof o.operationId !== 'string' || o.operationId === '').map((o) => `${o.method.toUpperCase()} ${o.path}`);
    expect(missing).toEqual([]);
  });

  it('operationIds are unique across the API', () => {
    const byId = new Map<string, string[]>();
    for (const o of operations) if (typeof o.operationId === 'string') byId.set(o.operationId, [...(byId.get(o.operationId) ?? []), `${o.method.toUpperCase()} ${o.path}`]);
    expect(Object.fromEntries([...byId].filter(([, uses]) => uses.length > 1))).toEqual({});
  });

  it('operationIds are lowerCamelCase', () => {
    const bad = operations
      .filter((o) => typeof o.operationId === 'string' && !/^[a-z][A-Za-z0-9]+$/.test(o.operationId))
      .map((o) => `${o.method.toUpperCase()} ${o.path}: ${String(o.operationId)}`);
    expect(bad).toEqual([]);
  });
});
