import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorStatus } from '../errors/codes.js';
import { withConfigTable } from './generate.js';
import { openApiDocument, openApiText } from './openapi.js';

const read = (path: string) => readFileSync(new URL(`../../../../${path}`, import.meta.url), 'utf8');

describe('docs stay true to the code', () => {
  it('docs/errors.md lists every error code with its status, and no other', () => {
    const rows = [...read('docs/errors.md').matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
    expect(Object.fromEntries(rows)).toEqual(errorStatus);
  });

  it("the README's configuration table is the one the config module generates (run `npm run docs`)", () => {
    const readme = read('README.md');
    expect(withConfigTable(readme)).toBe(readme);
  });

  it('docs/openapi.json is the document the server serves (run `npm run docs`)', async () => {
    const document = await openApiDocument();
    expect(Object.keys(document.paths as object)).toContain('/v3/evaluations');
    expect(read('docs/openapi.json')).toBe(openApiText(document));
  });
});
