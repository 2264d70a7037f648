import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorStatus } from '../errors/codes.js';
import { withConfigTable } from './generate.js';

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
});
