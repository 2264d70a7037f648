import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { documentPath, generateApiTypes, typesPath } from '../scripts/api-types.js';

describe("the server API's types (in @vigil/api, imported by the dashboard)", () => {
  it('are those generated from docs/openapi.json (run `npm run docs`)', async () => {
    const generated = await generateApiTypes(readFileSync(documentPath, 'utf8'));
    expect(generated).toContain('"/v3/users/{id}"');
    expect(readFileSync(typesPath, 'utf8')).toBe(generated);
  });
});
